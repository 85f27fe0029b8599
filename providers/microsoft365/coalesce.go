package microsoft365

import (
	"time"

	"github.com/mailscript/mailscript/providers/internal/coalesce"
)

// gatherWindow is how long the coalescer waits for more reads before sending a part-full
// batch: long enough for Promise.all's calls to arrive, short against a 25 ms round trip.
const gatherWindow = 2 * time.Millisecond

// newReads gathers the reads issued together into shared $batch requests, at most
// mailboxConcurrency out at once: each batch is a dependsOn chain holding one of the
// mailbox's slots at Graph, so the chains are the mailbox's lanes, and the batches are cut
// to finish together. A lane takes its share of what waits (up to batchLimit), so 200 reads
// go as 4 chains of 20, 4 of 20 and 4 of 10 rather than 10 of 20, of which the last two would
// run alone.
func newReads(m *mailbox) *coalesce.Coalescer[subRequest, subResponse] {
	size := func(waiting int) (int, int) {
		return min(batchLimit, (waiting+mailboxConcurrency-1)/mailboxConcurrency), batchLimit
	}
	return coalesce.New(mailboxConcurrency, gatherWindow, size, m.batch)
}
