package providers

import "strings"

// Closest returns the candidate nearest to name by edit distance (case-insensitive), or ""
// when none is near enough to be what the user meant: at most a third of the longer name's
// letters may differ, so "micorsoft365" finds microsoft365 and "x" finds nothing.
func Closest(name string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(strings.ToLower(name), strings.ToLower(c))
		if d*3 > max(len(name), len(c)) {
			continue
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// DidYouMean is " (did you mean X?)" for the closest candidate, or "".
func DidYouMean(name string, candidates []string) string {
	if c := Closest(name, candidates); c != "" && c != name {
		return " (did you mean " + c + "?)"
	}
	return ""
}

// editDistance is the optimal string alignment distance between a and b, by bytes (names
// here are ASCII): insertions, deletions, substitutions and swaps of two neighbours count one
// each, so "--tsl" is one edit from "--tls", as a typist would count it.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1) // row i-2, for swaps
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
