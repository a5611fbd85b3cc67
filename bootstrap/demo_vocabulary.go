package bootstrap

// demoLanguage is the vocabulary of one language. Devices are listed from
// most to least frequent (a Zipf law: the k-th is chosen with weight 1/k);
// every other list is chosen from uniformly.
type demoLanguage struct {
	devices   []string
	faults    []string // "{device} {fault}"
	causes    []string // "after {cause}"
	actions   []string // "please {action}"
	services  []string // "{service} is needed"
	questions []string // "{question}?"
	rare      string   // the sentence with the rare term

	repairTitles, serviceTitles, consultationTitles []string // %[1]s device, %[2]s fault/service/question
	repairText, serviceText, consultationText       string   // %[1]s device, %[2]s fault/service/question, %[3]s cause
	warranty                                        []string
	action, serial                                  string // %s action; %s serial

	ownerComments, staffComments, internalComments []string
	closeComments                                  []string
	reopenComment                                  string
}

var demoRU = demoLanguage{
	devices: []string{"экран", "телефон", "ноутбук", "принтер", "микроволновка", "холодильник", "планшет",
		"роутер", "монитор", "клавиатура", "чайник", "пылесос", "телевизор", "колонка", "гарнитура",
		"камера", "сканер", "утюг", "кофемашина", "плеер"},
	faults: []string{"не включается", "сильно греется", "шумит", "зависает", "сам выключается",
		"не заряжается", "не подключается к сети", "не реагирует на кнопки", "трещит",
		"быстро разряжается", "показывает ошибку E3", "искрит", "мигает", "перезагружается", "пахнет гарью"},
	causes: []string{"обновления", "падения", "грозы", "переезда", "чистки", "замены батареи",
		"скачка напряжения", "попадания воды", "ремонта в квартире", "долгого простоя"},
	actions: []string{"провести диагностику", "заменить деталь", "вернуть деньги", "продлить гарантию",
		"перезвонить мне", "прислать мастера", "оформить возврат", "проверить гарантию",
		"назвать стоимость ремонта", "выдать подменное устройство"},
	services: []string{"почистить от пыли", "заменить батарею", "установить программы", "настроить подключение",
		"заменить стекло", "обновить прошивку", "сделать профилактику", "откалибровать"},
	questions: []string{"сколько стоит ремонт", "какой срок гарантии", "можно ли обменять устройство",
		"где ближайший сервис", "сколько ждать запчасть", "положена ли компенсация", "как оформить возврат"},
	rare: "Рядом стоит термостат, вдруг это важно.",

	repairTitles:       []string{"%[1]s %[2]s", "Поломка: %[1]s", "Ремонт: %[1]s %[2]s"},
	serviceTitles:      []string{"Обслуживание: %[1]s", "%[1]s: нужно %[2]s"},
	consultationTitles: []string{"Вопрос: %[1]s", "Консультация: %[2]s?"},
	repairText:         "%[1]s %[2]s после %[3]s.",
	serviceText:        "Нужно %[2]s, устройство: %[1]s.",
	consultationText:   "Подскажите, %[2]s? Устройство: %[1]s, началось после %[3]s.",
	warranty:           []string{"Гарантия ещё действует.", "Гарантия закончилась.", ""},
	action:             "Прошу %s.",
	serial:             "Серийный номер %s.",

	ownerComments: []string{"Есть новости по заявке?", "Когда будет готово?", "Добавлю фото позже.",
		"Проблема повторилась.", "Спасибо за помощь!"},
	staffComments: []string{"Приняли в работу.", "Мастер свяжется с вами сегодня.", "Пришлите, пожалуйста, фото.",
		"Деталь заказана, ждём поставку.", "Можно забирать."},
	internalComments: []string{"Проверить гарантию по серийному номеру.", "Клиент звонил дважды.",
		"Похоже на заводской брак.", "Согласовать скидку с руководителем."},
	closeComments: []string{"Готово, устройство выдано.", "Вопрос решён.", ""},
	reopenComment: "Клиент вернулся с той же проблемой.",
}

var demoEN = demoLanguage{
	devices: []string{"screen", "phone", "laptop", "printer", "microwave", "fridge", "tablet",
		"router", "monitor", "keyboard", "kettle", "vacuum cleaner", "television", "speaker", "headset",
		"camera", "scanner", "iron", "coffee machine", "media player"},
	faults: []string{"does not turn on", "overheats", "makes a loud noise", "freezes", "shuts down by itself",
		"does not charge", "cannot connect to the network", "ignores the buttons", "crackles",
		"drains quickly", "shows error E3", "sparks", "blinks", "keeps rebooting", "smells of burning"},
	causes: []string{"an update", "a fall", "a thunderstorm", "a move", "cleaning", "a battery replacement",
		"a power surge", "water got in", "a renovation", "a long break"},
	actions: []string{"run a diagnostic", "replace the part", "refund the payment", "extend the warranty",
		"call me back", "send a technician", "arrange a return", "check the warranty",
		"quote the repair cost", "lend me a replacement device"},
	services: []string{"clean out the dust", "replace the battery", "install the software", "set up the connection",
		"replace the glass", "update the firmware", "do a maintenance check", "calibrate it"},
	questions: []string{"how much does a repair cost", "how long is the warranty", "can I exchange the device",
		"where is the nearest service centre", "how long will the spare part take",
		"am I entitled to compensation", "how do I return it"},
	rare: "There is a thermostat next to it, in case it matters.",

	repairTitles:       []string{"%[1]s %[2]s", "Fault: %[1]s", "Repair: %[1]s %[2]s"},
	serviceTitles:      []string{"Service: %[1]s", "%[1]s: %[2]s"},
	consultationTitles: []string{"Question: %[1]s", "Consultation: %[2]s?"},
	repairText:         "My %[1]s %[2]s after %[3]s.",
	serviceText:        "I need someone to %[2]s. Device: %[1]s.",
	consultationText:   "Could you tell me %[2]s? Device: %[1]s; the trouble began after %[3]s.",
	warranty:           []string{"It is still under warranty.", "The warranty is over.", ""},
	action:             "Please %s.",
	serial:             "Serial number %s.",

	ownerComments: []string{"Any news on this?", "When will it be ready?", "I will add a photo later.",
		"It happened again.", "Thanks for the help!"},
	staffComments: []string{"We are on it.", "A technician will call you today.", "Please send us a photo.",
		"The part is ordered.", "It is ready for pickup."},
	internalComments: []string{"Check the warranty by serial number.", "The customer called twice.",
		"Looks like a factory defect.", "Ask the manager about a discount."},
	closeComments: []string{"Done, device returned.", "Resolved.", ""},
	reopenComment: "The customer came back with the same fault.",
}
