package graph

import (
	"net/http"
	"strings"
)

// route dispatches on the path after /v1.0/users/{id}/. Messages may be addressed directly or
// under a folder (mailFolders/{f}/messages/{id}/...), as Graph allows.
func (f *Face) route(c *call) *apiError {
	seg, method := c.seg, c.r.Method
	folder := ""
	if len(seg) == 0 {
		return f.check(c, needRead, method, "GET", func() *apiError { return f.getUser(c) })
	}
	switch seg[0] {
	case "sendMail":
		if len(seg) == 1 {
			return f.check(c, needSend, method, "POST", func() *apiError { return f.sendMail(c) })
		}
	case "mailFolders":
		if len(seg) == 1 {
			return f.folderCollection(c, "")
		}
		folder = seg[1]
		switch {
		case len(seg) == 2:
			return f.check(c, needRead, method, "GET", func() *apiError { return f.getFolder(c, folder) })
		case len(seg) == 3 && seg[2] == "childFolders":
			return f.folderCollection(c, folder)
		case seg[2] == "messages":
			seg = seg[2:]
		default:
			return unknownSegment(seg[2])
		}
	}
	if seg[0] != "messages" {
		return unknownSegment(seg[0])
	}
	if len(seg) == 1 {
		switch method {
		case "GET":
			return f.check(c, needRead, method, "GET", func() *apiError { return f.listMessages(c, folder) })
		case "POST":
			return f.check(c, needWrite, method, "POST", func() *apiError { return f.createDraft(c, folder) })
		}
		return errMethod()
	}
	if seg[1] == "delta" || seg[1] == "delta()" || seg[1] == "microsoft.graph.delta()" {
		return f.check(c, needRead, method, "GET", func() *apiError { return f.delta(c, folder) })
	}
	id := seg[1]
	if len(seg) == 2 {
		switch method {
		case "GET":
			return f.check(c, needRead, method, "GET", func() *apiError { return f.getMessage(c, id) })
		case "PATCH":
			return f.check(c, needWrite, method, "PATCH", func() *apiError { return f.patchMessage(c, id) })
		case "DELETE":
			return f.check(c, needWrite, method, "DELETE", func() *apiError { return f.deleteMessage(c, id) })
		}
		return errMethod()
	}
	switch action := strings.TrimPrefix(seg[2], "microsoft.graph."); {
	case len(seg) == 3 && action == "$value":
		return f.check(c, needRead, method, "GET", func() *apiError { return f.messageValue(c, id) })
	case len(seg) == 3 && (action == "move" || action == "copy"):
		return f.check(c, needWrite, method, "POST", func() *apiError { return f.moveMessage(c, id, action == "copy") })
	case len(seg) == 3 && action == "send":
		return f.check(c, needSend, method, "POST", func() *apiError { return f.sendDraft(c, id) })
	case len(seg) == 3 && action == "permanentDelete":
		return f.check(c, needWrite, method, "POST", func() *apiError { return f.permanentDelete(c, id) })
	case action == "attachments":
		return f.routeAttachments(c, id, seg[3:])
	}
	return unknownSegment(seg[2])
}

func (f *Face) routeAttachments(c *call, msgID string, seg []string) *apiError {
	method := c.r.Method
	switch {
	case len(seg) == 0 && method == "GET":
		return f.check(c, needRead, method, "GET", func() *apiError { return f.listAttachments(c, msgID) })
	case len(seg) == 0 && method == "POST":
		return f.check(c, needWrite, method, "POST", func() *apiError { return f.addAttachment(c, msgID) })
	case len(seg) == 1 && strings.TrimPrefix(seg[0], "microsoft.graph.") == "createUploadSession":
		return f.check(c, needWrite, method, "POST", func() *apiError { return f.createUploadSession(c, msgID) })
	case len(seg) == 1 && method == "GET":
		return f.check(c, needRead, method, "GET", func() *apiError { return f.getAttachment(c, msgID, seg[0]) })
	case len(seg) == 1 && method == "DELETE":
		return f.check(c, needWrite, method, "DELETE", func() *apiError { return f.deleteAttachment(c, msgID, seg[0]) })
	case len(seg) == 2 && seg[1] == "$value":
		return f.check(c, needRead, method, "GET", func() *apiError { return f.attachmentValue(c, msgID, seg[0]) })
	case len(seg) > 0:
		return unknownSegment(seg[len(seg)-1])
	}
	return errMethod()
}

func (f *Face) folderCollection(c *call, parent string) *apiError {
	switch c.r.Method {
	case "GET":
		return f.check(c, needRead, "GET", "GET", func() *apiError { return f.listFolders(c, parent) })
	case "POST":
		return f.check(c, needWrite, "POST", "POST", func() *apiError { return f.createFolder(c, parent) })
	}
	return errMethod()
}

// check enforces the HTTP method and the app's permission, then runs fn.
func (f *Face) check(c *call, n need, method, want string, fn func() *apiError) *apiError {
	if method != want {
		return errMethod()
	}
	if !n.allowedBy(c.tok.Roles) {
		return errAccessDenied()
	}
	return fn()
}

func errMethod() *apiError {
	return newError(http.StatusMethodNotAllowed, "Request_BadRequest", "The specified HTTP method is not allowed for the request target.")
}

func unknownSegment(s string) *apiError {
	return errBadRequest("Resource not found for the segment '" + s + "'.")
}
