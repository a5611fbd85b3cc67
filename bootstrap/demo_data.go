package bootstrap

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"crm/domain"
)

// Search terms for benchmarks over the tickets of `crm demo --tickets N`.
// The shares are of the generated tickets (title, text and owner's username,
// which is what the queue's search reads), measured by the tests on 20,000
// of them; they hold for any N of a few thousand or more. Device names occur
// only in the nominative form, so substring, prefix and whole-word searches
// agree. Words never to use as a rare term: "load", "user", "staff" (in
// every owner's or assignee's username).
const (
	// DemoCommonTerm is the most frequent Russian device: about 17 % of
	// the tickets.
	DemoCommonTerm = "экран"
	// DemoCommonTermEn is the most frequent English device: about 11 %.
	DemoCommonTermEn = "screen"
	// DemoPrefixTerm is a prefix of "микроволновка" (about 3 %) and of no
	// other word: a search by prefix finds those tickets, a search by
	// whole word finds none.
	DemoPrefixTerm = "микро"
	// DemoRareTerm is in one Russian ticket in a thousand (about 0.06 %
	// of all).
	DemoRareTerm = "термостат"
	// DemoRareTermEn is in one English ticket in a thousand (about
	// 0.04 % of all).
	DemoRareTermEn = "thermostat"
	// DemoAbsentTerm is in no generated ticket.
	DemoAbsentTerm = "ксилофон"
)

// DemoSerial returns the serial number quoted in the text of the n-th
// (1-based) ticket a `crm demo --tickets N` run adds: a search for it finds
// exactly that ticket of the run (n up to 9,999,999), or one per run when
// the command ran several times.
func DemoSerial(n int) string { return fmt.Sprintf("SN%07d", n) }

// Shapes of the generated data. Older tickets are mostly closed, recent ones
// mostly still open or in progress; overall about 10 % open, 6 % in
// progress, 84 % closed. Half are repairs, a quarter each consultations and
// services; 60 % are in Russian.
const (
	demoSpan       = 2 * 365 * 24 * time.Hour // created times spread over the past two years
	demoRecent     = 30 * 24 * time.Hour      // younger tickets have the "recent" status mix
	demoRussian    = 0.6                      // share of tickets in Russian
	demoRareChance = 0.001                    // share of tickets of a language with its rare term
)

// demoGenerator makes the synthetic tickets of `crm demo --tickets N`, one
// at a time, oldest first: the same tickets for the same seed, N, owners
// and staff (only their times move with now). Tickets are built with
// RehydrateTicket, so they carry no events, and their history entries and
// comments have id 0 for storage to insert.
type demoGenerator struct {
	rng       *rand.Rand
	n         int
	made      int
	owners    []*domain.User
	staff     []*domain.User
	start     time.Time
	end       time.Time
	step      time.Duration // between consecutive created times
	deviceCDF []float64     // cumulative Zipf weights, shared by both languages
}

// newDemoGenerator returns a generator of n tickets created over the two
// years before now, owned in turn by owners and handled by staff. It fails
// when either list is empty.
func newDemoGenerator(seed uint64, n int, owners, staff []*domain.User, now time.Time) (*demoGenerator, error) {
	if len(owners) == 0 || len(staff) == 0 {
		return nil, errors.New("demo data needs at least one owner and one staff member")
	}
	n = max(n, 1)
	g := &demoGenerator{
		rng:    rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		n:      n,
		owners: owners, staff: staff,
		start: now.UTC().Add(-demoSpan), end: now.UTC(),
		step: max(demoSpan/time.Duration(n), time.Microsecond),
	}
	total := 0.0
	for k := range demoRU.devices {
		total += 1 / float64(k+1)
		g.deviceCDF = append(g.deviceCDF, total)
	}
	for k := range g.deviceCDF {
		g.deviceCDF[k] /= total
	}
	return g, nil
}

// next returns the next ticket, created after the previous one.
func (g *demoGenerator) next() *domain.Ticket {
	i := g.made
	g.made++
	r := g.rng
	created := g.start.Add(time.Duration(i)*g.step + time.Duration(r.Int64N(int64(g.step)))).Truncate(time.Microsecond)
	age := time.Duration(g.n-i) * g.step // independent of now, so are the choices
	typ, status := g.kind(i, age)
	lang := &demoEN
	if r.Float64() < demoRussian {
		lang = &demoRU
	}
	owner := g.owners[i%len(g.owners)]
	title, text := g.words(lang, typ, i+1)

	// History: the workflow's steps, each by a staff member, at increasing
	// times no later than now.
	handler := g.staff[r.IntN(len(g.staff))]
	at := created
	change := func(from, to domain.Status, comment string, maxDelay time.Duration) domain.StatusChange {
		at = g.later(at, maxDelay)
		return domain.StatusChange{ByID: handler.ID(), ByName: handler.Username(), From: from, To: to, Comment: comment, At: at}
	}
	var history []domain.StatusChange
	assigned := false
	switch status {
	case domain.StatusOpen:
		if r.IntN(20) == 0 { // closed once, then reopened
			history = append(history,
				change(domain.StatusOpen, domain.StatusClosed, pick(r, lang.closeComments), 7*24*time.Hour),
				change(domain.StatusClosed, domain.StatusOpen, lang.reopenComment, 30*24*time.Hour))
		}
		assigned = r.IntN(5) == 0
	case domain.StatusInProgress:
		history = append(history, change(domain.StatusOpen, domain.StatusInProgress, "", 3*24*time.Hour))
		assigned = r.IntN(10) != 0
	case domain.StatusClosed:
		if r.IntN(10) < 7 {
			history = append(history,
				change(domain.StatusOpen, domain.StatusInProgress, "", 3*24*time.Hour),
				change(domain.StatusInProgress, domain.StatusClosed, pick(r, lang.closeComments), 14*24*time.Hour))
		} else {
			history = append(history, change(domain.StatusOpen, domain.StatusClosed, pick(r, lang.closeComments), 3*24*time.Hour))
		}
		assigned = r.IntN(10) != 0
	}
	var assigneeID int64
	var assigneeName string
	if assigned {
		assigneeID, assigneeName = handler.ID(), handler.Username()
	}

	// Comments fall between creation and the last status change (or a few
	// days after creation); the owner writes only before the first close,
	// as the domain allows.
	last := g.later(created, 5*24*time.Hour)
	if len(history) > 0 {
		last = history[len(history)-1].At
	}
	ownerLast := last
	for _, h := range history {
		if h.To == domain.StatusClosed {
			ownerLast = h.At
			break
		}
	}
	comments := make([]domain.Comment, demoCommentCount(r))
	for k := range comments {
		c := &comments[k]
		switch who := r.IntN(20); {
		case who < 8:
			c.AuthorID, c.AuthorName, c.Text = owner.ID(), owner.Username(), pick(r, lang.ownerComments)
			c.At = between(r, created, ownerLast)
		case who < 15:
			c.AuthorID, c.AuthorName, c.Text = handler.ID(), handler.Username(), pick(r, lang.staffComments)
			c.At = between(r, created, last)
		default:
			c.AuthorID, c.AuthorName, c.Text = handler.ID(), handler.Username(), pick(r, lang.internalComments)
			c.Internal = true
			c.At = between(r, created, last)
		}
	}
	slices.SortStableFunc(comments, func(a, b domain.Comment) int { return a.At.Compare(b.At) })

	updated := created
	if len(history) > 0 {
		updated = history[len(history)-1].At
	}
	if len(comments) > 0 && comments[len(comments)-1].At.After(updated) {
		updated = comments[len(comments)-1].At
	}
	t := domain.RehydrateTicket(0, owner.ID(), owner.Username(), title, text, typ, status,
		assigneeID, assigneeName, created, updated, history, comments)
	// Targets under the defaults, replayed from the steps above: answers
	// and closings up to days late give met, missed and pending ones.
	t.ReplayTargets(domain.DefaultSLAPolicy(typ))
	return t
}

// kind picks the type and status: the first nine tickets cover every
// combination, the rest follow the mix of their age.
func (g *demoGenerator) kind(i int, age time.Duration) (domain.TicketType, domain.Status) {
	r := g.rng
	if types, statuses := domain.TicketTypes(), domain.Statuses(); i < len(types)*len(statuses) {
		return types[i%len(types)], statuses[i/len(types)]
	}
	typ := domain.TypeRepair
	switch r.IntN(4) {
	case 0:
		typ = domain.TypeConsultation
	case 1:
		typ = domain.TypeService
	}
	p := r.Float64()
	open, inProgress := 0.10, 0.05 // of old tickets
	if age <= demoRecent {
		open, inProgress = 0.30, 0.30
	}
	switch {
	case p < open:
		return typ, domain.StatusOpen
	case p < open+inProgress:
		return typ, domain.StatusInProgress
	}
	return typ, domain.StatusClosed
}

// words makes the title and text of the serial-th ticket.
func (g *demoGenerator) words(lang *demoLanguage, typ domain.TicketType, serial int) (title, text string) {
	r := g.rng
	device := lang.devices[g.device()]
	cause := pick(r, lang.causes)
	var titles []string
	var detail, body string
	switch typ {
	case domain.TypeRepair:
		titles, detail, body = lang.repairTitles, pick(r, lang.faults), lang.repairText
	case domain.TypeService:
		titles, detail, body = lang.serviceTitles, pick(r, lang.services), lang.serviceText
	default:
		titles, detail, body = lang.consultationTitles, pick(r, lang.questions), lang.consultationText
	}
	title = capitalize(fmt.Sprintf(pick(r, titles), device, detail))
	var b strings.Builder
	b.WriteString(capitalize(fmt.Sprintf(body, device, detail, cause)))
	if w := pick(r, lang.warranty); w != "" {
		b.WriteString(" " + w)
	}
	b.WriteString(" " + fmt.Sprintf(lang.action, pick(r, lang.actions)))
	b.WriteString(" " + fmt.Sprintf(lang.serial, DemoSerial(serial)))
	if r.Float64() < demoRareChance {
		b.WriteString(" " + lang.rare)
	}
	return title, b.String()
}

// device returns the index of a device, the k-th with weight 1/k.
func (g *demoGenerator) device() int {
	k, _ := slices.BinarySearch(g.deviceCDF, g.rng.Float64())
	return min(k, len(g.deviceCDF)-1)
}

// later returns a time up to maxDelay (at least ten minutes) after t, and
// never after the generator's now.
func (g *demoGenerator) later(t time.Time, maxDelay time.Duration) time.Time {
	d := 10*time.Minute + time.Duration(g.rng.Int64N(int64(maxDelay)))
	t = t.Add(d).Truncate(time.Microsecond)
	if t.After(g.end) {
		return g.end
	}
	return t
}

// demoCommentCount is 0–3, fewer more often.
func demoCommentCount(r *rand.Rand) int {
	switch p := r.IntN(10); {
	case p < 4:
		return 0
	case p < 7:
		return 1
	case p < 9:
		return 2
	}
	return 3
}

// between returns a time in [from, to], or from when to is not after it.
func between(r *rand.Rand, from, to time.Time) time.Time {
	d := to.Sub(from)
	if d <= 0 {
		return from
	}
	return from.Add(time.Duration(r.Int64N(int64(d) + 1))).Truncate(time.Microsecond)
}

func pick(r *rand.Rand, words []string) string { return words[r.IntN(len(words))] }

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	first, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(first)) + s[size:]
}
