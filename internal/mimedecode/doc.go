// Package mimedecode is the one MIME decoder of mailscript: RFC 2047 header words, address
// lists, media types, transfer encodings, charsets (and the rule for undeclared 8-bit text),
// the classification of leaf parts, and previews. The providers (through providers/mimemsg)
// and the emulator's store both decode with it, so a message reads the same on either side.
// It must import neither providers nor emulator code, and it knows no mail service.
package mimedecode
