// Package graph is the emulator's Microsoft face: the Entra ID v2.0 token endpoint and OpenID
// metadata, and the Microsoft Graph v1.0 mail API (messages, folders, attachments, upload
// sessions, sendMail, $batch, delta), rendered from the store. It knows nothing of JS or providers.
package graph
