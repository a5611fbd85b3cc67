package bench

import (
	"bufio"
	"strconv"
	"strings"
	"time"
)

// poolWait reads from the server's GET /metrics how long its queries have
// waited for a free database connection so far, in all
// (go_sql_wait_duration_seconds_total): the part of a page's time spent in
// line for a connection rather than working. 0 when it cannot be read.
func (t *target) poolWait() time.Duration {
	res, err := t.client.Get(t.base + "/metrics")
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	const name = `go_sql_wait_duration_seconds_total{db_name="crm"} `
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name); ok {
			s, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return 0
			}
			return time.Duration(s * float64(time.Second))
		}
	}
	return 0
}
