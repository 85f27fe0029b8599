package report

// Headline is how an error introduces itself in every console report, "Name [CODE]:
// message"; the REPL prints uncaught errors the same way.
func Headline(e *Error) string { return errorHeadline(e) }
