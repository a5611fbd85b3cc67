package i18n

// pluralCategory returns the CLDR plural category of the integer n in lang:
// "one", "few", "many" or "other".
func pluralCategory(lang string, n int) string {
	if n < 0 {
		n = -n
	}
	switch lang {
	case "ru":
		switch mod10, mod100 := n%10, n%100; {
		case mod10 == 1 && mod100 != 11:
			return "one"
		case mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14):
			return "few"
		default:
			return "many"
		}
	default:
		if n == 1 {
			return "one"
		}
		return "other"
	}
}

// pluralForms lists the forms a plural group must have in lang for every
// integer to find its own.
func pluralForms(lang string) []string {
	switch lang {
	case "ru":
		return []string{"one", "few", "many"}
	default:
		return []string{"one", "other"}
	}
}

// isPluralForm reports whether suffix names a plural category.
func isPluralForm(suffix string) bool {
	switch suffix {
	case "zero", "one", "two", "few", "many", "other":
		return true
	}
	return false
}
