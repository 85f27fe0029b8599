package jsfmt

import (
	"math"
	"regexp"
	"strings"
	"unicode/utf8"
)

var ansiRe = regexp.MustCompile("[\x1b\u009b][[\\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\\d/#&.:=?%@~_]+)*|[a-zA-Z\\d]+(?:;[-a-zA-Z\\d/#&.:=?%@~_]*)*)?\x07)|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PR-TZcf-nq-uy=><~]))")

// width is the printed width of s, colour codes excluded.
func (c *ctx) width(s string) int {
	if c.colors {
		s = ansiRe.ReplaceAllString(s, "")
	}
	return utf8.RuneCountInString(s)
}

func (c *ctx) isBelowBreakLength(output []string, start int, base string) bool {
	total := len(output) + start
	if total+len(output) > c.breakLength {
		return false
	}
	for _, s := range output {
		if total += c.width(s); total > c.breakLength {
			return false
		}
	}
	return base == "" || !strings.Contains(base, "\n")
}

// reduceToSingleString is Node's: entries go on one line when they fit, else one per line,
// and long arrays of short items are laid out in columns.
func (c *ctx) reduceToSingleString(output []string, base string, braces [2]string, extras, recurseTimes int, numeric bool) string {
	if base != "" && !c.compactAll {
		base += " "
	}
	if !c.compactAll {
		entries := len(output)
		if extras == kindArrayExtras && entries > 6 {
			output = c.groupArrayElements(output, numeric)
		}
		if c.currentDepth-recurseTimes < c.compact && entries == len(output) {
			start := len(output) + c.indent + c.width(braces[0]) + c.width(base) + 9
			if c.isBelowBreakLength(output, start, base) {
				if joined := strings.Join(output, ", "); !strings.Contains(joined, "\n") {
					return base + braces[0] + " " + joined + " " + braces[1]
				}
			}
		}
		ind := "\n" + strings.Repeat(" ", c.indent)
		return base + braces[0] + ind + "  " + strings.Join(output, ","+ind+"  ") + ind + braces[1]
	}
	if base != "" {
		base = " " + base
	}
	if c.isBelowBreakLength(output, 0, base) {
		return braces[0] + base + " " + strings.Join(output, ", ") + " " + braces[1]
	}
	ind := strings.Repeat(" ", c.indent)
	ln := " "
	if base != "" || len(braces[0]) != 1 {
		ln = base + "\n" + ind + "  "
	}
	return braces[0] + ln + strings.Join(output, ",\n"+ind+"  ") + " " + braces[1]
}

// groupArrayElements is Node's column layout for arrays with more than six entries.
func (c *ctx) groupArrayElements(output []string, numeric bool) []string {
	totalLength, maxLength := 0, 0
	outputLength := len(output)
	if c.maxArray >= 0 && c.maxArray < len(output) {
		outputLength-- // the "... more items" entry is not laid out
	}
	const separatorSpace = 2
	dataLen := make([]int, outputLength)
	for i := range outputLength {
		l := c.width(output[i])
		dataLen[i] = l
		totalLength += l + separatorSpace
		maxLength = max(maxLength, l)
	}
	actualMax := maxLength + separatorSpace
	if actualMax*3+c.indent >= c.breakLength || (float64(totalLength)/float64(actualMax) <= 5 && maxLength > 6) {
		return output
	}
	averageBias := math.Sqrt(float64(actualMax) - float64(totalLength)/float64(len(output)))
	biasedMax := math.Max(float64(actualMax)-3-averageBias, 1)
	columns := min(
		int(math.Round(math.Sqrt(2.5*biasedMax*float64(outputLength))/biasedMax)),
		(c.breakLength-c.indent)/actualMax,
		c.compact*4,
		15,
	)
	if columns <= 1 {
		return output
	}
	maxLineLength := make([]int, columns)
	for i := range columns {
		for j := i; j < outputLength; j += columns {
			maxLineLength[i] = max(maxLineLength[i], dataLen[j])
		}
		maxLineLength[i] += separatorSpace
	}
	var tmp []string
	for i := 0; i < outputLength; i += columns {
		end := min(i+columns, outputLength)
		var b strings.Builder
		j := i
		for ; j < end-1; j++ {
			pad := strings.Repeat(" ", max(0, maxLineLength[j-i]-dataLen[j]-separatorSpace))
			if numeric {
				b.WriteString(pad + output[j] + ", ")
			} else {
				b.WriteString(output[j] + ", " + pad)
			}
		}
		if numeric {
			b.WriteString(strings.Repeat(" ", max(0, maxLineLength[j-i]-dataLen[j]-separatorSpace)))
		}
		b.WriteString(output[j])
		tmp = append(tmp, b.String())
	}
	if outputLength < len(output) {
		tmp = append(tmp, output[outputLength])
	}
	return tmp
}
