// Package open installs open(path, 'b'?): read a file next to the script, as text or bytes,
// for attachments and fixtures. Relative paths resolve against the script's folder.
// It only reads; it never writes or lists.
package open
