package htmltext

import "testing"

func TestText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, in, want string }{
		{"plain", "  Your code is\n 123456  ", "Your code is 123456"},
		{"inline markup joins words", "<p>Your code is <b>123456</b>.</p>", "Your code is 123456."},
		{"paragraphs get a blank line", "<p>Hello</p><p>World</p>", "Hello\n\nWorld"},
		{"divs and br break lines", "<div>one</div><div>two<br>three</div>", "one\ntwo\nthree"},
		{"head, style and script are hidden", "<html><head><title>T</title><style>p{color:red}</style></head><body><script>var x = '<p>';</script><p>Body</p></body></html>", "Body"},
		{"entities decoded, nbsp is a space", "<p>Tom&nbsp;&amp;&nbsp;Jerry &lt;3 &#x2713;</p>", "Tom & Jerry <3 ✓"},
		{"table cells are spaced, rows are lines", "<table><tr><td>Item</td><td>Qty</td></tr><tr><td>Widget</td><td>42</td></tr></table>", "Item Qty\nWidget 42"},
		{"pre keeps its lines", "<p>Code:</p><pre>a  b\nc</pre><p>end</p>", "Code:\n\na  b\nc\n\nend"},
		{"link text stays, href is not text", `<p>Reset: <a href="https://example.com/r?t=1&amp;u=2">click here</a></p>`, "Reset: click here <https://example.com/r?t=1&u=2>"},
		{"a link whose text is its address is written once", `<a href="https://example.com/x">https://example.com/x</a>`, "https://example.com/x"},
		{"mailto and anchors are not addresses", `<a href="mailto:a@b.c">write</a> <a href="#top">top</a>`, "write top"},
		{"headings and lists", "<h1>Invoice</h1><ul><li>one</li><li>two</li></ul>", "Invoice\n\none\ntwo"},
		{"non-ASCII", "<p>Réinitialiser le mot de passe ✓</p>", "Réinitialiser le mot de passe ✓"},
		{"unclosed tags and stray text", "<div>a<p>b", "a\n\nb"},
		{"empty", "", ""},
		{"doctype, comments and upper case", "<!DOCTYPE html><!-- <p>hidden</p> --><HTML><BODY><P>Shown</P></BODY></HTML>", "Shown"},
		{"markup inside a quoted attribute is not markup", `<p title="<script>">visible</p><p>after</p><script>x</script>`, "visible\n\nafter"},
		{"a comment opener inside an attribute", `<img alt="<!--">Important<!-- -->`, "Important"},
		{"an apostrophe in a bare attribute value", `<p class=foo'bar>Don't click</p><p>More</p>`, "Don't click\n\nMore"},
		{"href inside another attribute is not the link", `<a title='x href=https://evil.example' href="https://good.example">t</a>`, "t <https://good.example>"},
		{"an unclosed comment hides the rest", "<p>shown</p><!-- <p>hidden</p>", "shown"},
		{"the head is hidden to its end tag", "<head><title>T</title>leak?</head><p>body</p>", "body"},
		{"an unclosed script hides the rest", "<p>a</p><script>if (a < b) {", "a"},
		{"a quoted '>' inside an attribute", `<a title="a > b" href='https://example.com/x'>go</a>`, "go <https://example.com/x>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Text(c.in); got != c.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

func TestVisible(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{`<p>Reset: <a href="https://example.com/r">click here</a></p>`, "Reset: click here"},
		{`<head><title>T</title></head><p>Hello</p><p>World &amp; co</p>`, "Hello\n\nWorld & co"},
	} {
		if got := Visible(c.in); got != c.want {
			t.Errorf("Visible(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
