package suite

import "strings"

// Headings of the remediation blocks in a feature's description, as the
// seed names them. A heading is a line of its own; case is ignored.
var (
	causesHeadings = []string{"common causes when missing:", "common causes:"}
	fixHeadings    = []string{"how to fix:"}
)

// ParseDescription splits a feature description into its prose and the
// items of its "Common causes when missing:" and "How to fix:" blocks, so
// that the remediation a report shows for a missing capability is written
// next to the scenario that probes it, not in Go.
//
// An item starts with "- " or "* "; the lines after it, up to the next item
// or heading, continue it (a command under its explanation) and are kept on
// their own lines, without their indentation. Text in a block before any
// bullet is an item of its own. Everything outside the two blocks is prose,
// returned as paragraphs.
func ParseDescription(desc string) (about string, causes, fixes []string) {
	var prose []string
	var block *[]string // the list being filled, nil in prose
	open := false       // whether the last item may be continued
	for _, line := range strings.Split(desc, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case isHeading(t, causesHeadings):
			block, open = &causes, false
			continue
		case isHeading(t, fixHeadings):
			block, open = &fixes, false
			continue
		}
		if block == nil {
			prose = append(prose, line)
			continue
		}
		switch {
		case t == "":
			open = false
		case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* "):
			*block = append(*block, strings.TrimSpace(t[2:]))
			open = true
		case open:
			(*block)[len(*block)-1] += "\n" + t
		default:
			*block = append(*block, t)
			open = true
		}
	}
	return paragraphs(prose), causes, fixes
}

// paragraphs joins the lines of wrapped prose into one line per paragraph
// (paragraphs separated by a blank line): the line breaks in a feature file
// are where its author wrapped the text, not part of it.
func paragraphs(lines []string) string {
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" {
			cur = append(cur, t)
		} else {
			flush()
		}
	}
	flush()
	return strings.Join(paras, "\n\n")
}

func isHeading(line string, headings []string) bool {
	for _, h := range headings {
		if strings.EqualFold(line, h) {
			return true
		}
	}
	return false
}
