package bindings

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// Duration reads a script duration: a number of milliseconds or a Go-style string such as
// "500ms", "2s" or "1m30s". name is the argument's name for the error message.
func Duration(v goja.Value, name string) (time.Duration, error) {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return 0, fmt.Errorf("%s: a duration is required, such as 5000 (ms) or '5s'", name)
	}
	switch x := v.Export().(type) {
	case int64:
		if x < 0 {
			return 0, fmt.Errorf("%s: %d is negative: give a duration of zero or more", name, x)
		}
		return time.Duration(x) * time.Millisecond, nil
	case float64:
		if math.IsNaN(x) || x < 0 || x > math.MaxInt64/1e6 {
			return 0, fmt.Errorf("%s: %v is not a valid number of milliseconds", name, x)
		}
		return time.Duration(x * float64(time.Millisecond)), nil
	case string:
		d, err := time.ParseDuration(strings.TrimSpace(x))
		if err != nil || d < 0 {
			return 0, fmt.Errorf("%s: %q is not a duration: use forms like '500ms', '2s', '1m30s' or a number of milliseconds", name, x)
		}
		return d, nil
	}
	return 0, fmt.Errorf("%s: expected a number of milliseconds or a string like '2s', got %s", name, v.String())
}
