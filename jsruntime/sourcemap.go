package jsruntime

import (
	"bytes"
	"strings"
)

// gojaColumns rewrites esbuild's source map for goja's lookup, which passes 1-based generated
// columns where the map expects 0-based ones and reports the 0-based original column as if
// it were 1-based. Moving every generated and original column up by one makes both exact.
// Generated columns restart on each line, so only a line's first segment changes; original
// columns are deltas over the whole map, so only the first segment that has one changes.
func gojaColumns(sourceMap []byte) []byte {
	const key = `"mappings": "`
	start := bytes.Index(sourceMap, []byte(key))
	if start < 0 {
		return sourceMap
	}
	start += len(key)
	end := bytes.IndexByte(sourceMap[start:], '"')
	if end < 0 {
		return sourceMap
	}
	end += start
	var out strings.Builder
	out.Grow(end - start + 64)
	shiftedSource := false
	for i, line := range strings.Split(string(sourceMap[start:end]), ";") {
		if i > 0 {
			out.WriteByte(';')
		}
		for j, seg := range strings.Split(line, ",") {
			if j > 0 {
				out.WriteByte(',')
			}
			if j > 0 && shiftedSource || seg == "" {
				out.WriteString(seg)
				continue
			}
			fields := decodeVLQ(seg)
			if j == 0 {
				fields[0]++
			}
			if !shiftedSource && len(fields) >= 4 {
				fields[3]++
				shiftedSource = true
			}
			for _, f := range fields {
				encodeVLQ(&out, f)
			}
		}
	}
	var b bytes.Buffer
	b.Grow(len(sourceMap) + 16)
	b.Write(sourceMap[:start])
	b.WriteString(out.String())
	b.Write(sourceMap[end:])
	return b.Bytes()
}

const vlqChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

func decodeVLQ(seg string) []int {
	var fields []int
	value, shift := 0, 0
	for i := 0; i < len(seg); i++ {
		digit := strings.IndexByte(vlqChars, seg[i])
		value += (digit & 31) << shift
		if digit&32 != 0 {
			shift += 5
			continue
		}
		if value&1 != 0 {
			fields = append(fields, -(value >> 1))
		} else {
			fields = append(fields, value>>1)
		}
		value, shift = 0, 0
	}
	return fields
}

func encodeVLQ(b *strings.Builder, v int) {
	u := v << 1
	if v < 0 {
		u = (-v << 1) | 1
	}
	for {
		digit := u & 31
		u >>= 5
		if u > 0 {
			digit |= 32
		}
		b.WriteByte(vlqChars[digit])
		if u == 0 {
			return
		}
	}
}
