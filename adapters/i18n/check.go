package i18n

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Check reports every defect of the catalogues: a message one language has
// and another lacks, a plural group missing a form its language needs, and
// a message whose placeholders differ between languages. The HTTP adapter
// calls it at construction; a test calls it too.
func Check() error { return std.check() }

func (c *catalogue) check() error {
	var errs []error
	ids := map[string]map[string]map[string]bool{} // lang → message id → placeholders
	for _, lang := range c.langs {
		ids[lang] = map[string]map[string]bool{}
		plurals := map[string][]string{}
		for key, msg := range c.msgs[lang] {
			id := key
			if i := strings.LastIndexByte(key, '.'); i > 0 && isPluralForm(key[i+1:]) {
				id = key[:i]
				plurals[id] = append(plurals[id], key[i+1:])
			}
			if ids[lang][id] == nil {
				ids[lang][id] = map[string]bool{}
			}
			for _, m := range placeholder.FindAllStringSubmatch(msg, -1) {
				ids[lang][id][m[1]] = true
			}
			if _, plain := c.msgs[lang][id]; plain && id != key {
				errs = append(errs, fmt.Errorf("%s: %q is both a message and a plural group", lang, id))
			}
		}
		for id, forms := range plurals {
			for _, need := range pluralForms(lang) {
				if !slices.Contains(forms, need) {
					errs = append(errs, fmt.Errorf("%s: plural group %q lacks the %q form", lang, id, need))
				}
			}
			delete(ids[lang][id], "n")
		}
	}
	base := c.langs[0]
	for _, lang := range c.langs[1:] {
		for _, id := range sortedKeys(ids[base]) {
			if _, ok := ids[lang][id]; !ok {
				errs = append(errs, fmt.Errorf("%s: missing %q (present in %s)", lang, id, base))
			}
		}
		for _, id := range sortedKeys(ids[lang]) {
			ph, ok := ids[base][id]
			if !ok {
				errs = append(errs, fmt.Errorf("%s: missing %q (present in %s)", base, id, lang))
				continue
			}
			if a, b := sortedKeys(ph), sortedKeys(ids[lang][id]); !slices.Equal(a, b) {
				errs = append(errs, fmt.Errorf("%q: placeholders %v in %s but %v in %s", id, a, base, b, lang))
			}
		}
	}
	return errors.Join(errs...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
