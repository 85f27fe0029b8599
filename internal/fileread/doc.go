// Package fileread reads the files scripts name (open(), attachments given by path) within a
// size limit, and only regular files: a device, FIFO or folder would read forever, block, or
// fail late. It knows nothing of JavaScript or of mail services.
package fileread
