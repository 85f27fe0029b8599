package timers_test

import (
	"testing"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
)

func TestTimers(t *testing.T) {
	tests := []struct{ name, src string }{
		{"order and arguments", `
			const seen = [];
			setTimeout(() => seen.push('late'), 3);
			setTimeout((a, b) => seen.push(a + b), 0, 'x', 'y');
			setTimeout(() => seen.push('same delay, declared later'), 0);
			await sleep(10);
			expect(seen).toEqual(['xy', 'same delay, declared later', 'late']);`},
		{"ids and clears", `
			const id = setTimeout(() => { throw new Error('cleared timer ran'); }, 0);
			expect(typeof id).toBe('number');
			clearTimeout(id);
			clearTimeout(undefined);
			clearInterval(12345);
			let n = 0;
			const iv = setInterval(() => { if (++n === 3) clearInterval(iv); }, 0);
			// Three ticks take a few ms, more on a loaded machine: wait for them, then a while
			// longer, in which a cleared interval must not tick again.
			for (let i = 0; i < 400 && n < 3; i++) await sleep('5ms');
			await sleep('20ms');
			expect(n).toBe(3);`},
		{"sleep durations", `
			for (const d of [0, 1, 1.5, '1ms', '0.001s']) {
				expect(await sleep(d)).toBeUndefined();
			}`},
		{"non-number delay counts as zero", `
			let ran = false;
			setTimeout(() => { ran = true; }, 'soon');
			await sleep(5);
			expect(ran).toBe(true);`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jsruntimetest.RequirePassed(t, jsruntimetest.Run(t, "timers.test.js", tt.src, jsruntime.Options{}))
		})
	}
}

func TestTimerErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"setTimeout('code', 1)", "TypeError: setTimeout(callback, delay): callback must be a function"},
		{"setInterval()", "TypeError: setInterval(callback, delay): callback must be a function"},
		{"await sleep()", "TypeError: sleep(duration): a duration is required, such as 5000 (ms) or '5s'"},
		{"await sleep('-1s')", `TypeError: sleep(duration): "-1s" is not a duration: use forms like '500ms', '2s', '1m30s' or a number of milliseconds`},
		{"await sleep(-5)", "TypeError: sleep(duration): -5 is negative: give a duration of zero or more"},
		{"setTimeout(() => { throw new Error('in timer') }, 0); await sleep(5)", "Error: in timer"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			f := jsruntimetest.Run(t, "errors.test.js", tt.src, jsruntime.Options{})
			if len(f.Tests) != 1 || f.Tests[0].Error == nil {
				t.Fatalf("want one failed test, got %+v", f)
			}
			if e := f.Tests[0].Error; e.Name+": "+e.Message != tt.want || e.Location == "" {
				t.Errorf("error = %s: %s @ %q, want %s with a location", e.Name, e.Message, e.Location, tt.want)
			}
		})
	}
}
