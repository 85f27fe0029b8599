package report

import "fmt"

// TestIDs names every test of a run for the HTML report's links (index.html#ID), which the
// JUnit report repeats: a hash of the file and full name, stable from run to run so that a
// link survives a re-run, and a suffix for a name a file repeats. ids[i][j] is files[i].Tests[j].
func TestIDs(files []File) [][]string {
	ids := make([][]string, len(files))
	for i, f := range files {
		seen := map[string]int{}
		for _, t := range f.Tests {
			id := "t" + shortHash([]byte(f.File+"\x00"+t.FullName()))
			if n := seen[id]; n > 0 {
				seen[id]++
				id = fmt.Sprintf("%s-%d", id, n+1)
			} else {
				seen[id] = 1
			}
			ids[i] = append(ids[i], id)
		}
	}
	return ids
}
