"""Reading pages the way a screen reader or a strict reviewer would: labels, foreign assets."""

from html.parser import HTMLParser

NEEDS_NO_LABEL = {"hidden", "submit", "button", "reset", "image"}


class _Controls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.open_labels = 0
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("src", "href", "action", "hx-get", "hx-post"):
            if a.get(key):
                self.urls.append(a[key])
        if tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and a.get("type", "text") in NEEDS_NO_LABEL:
                return
            self.controls.append({**a, "_tag": tag, "_wrapped": self.open_labels > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


def unlabelled_controls(html: str) -> list[str]:
    """Form controls with no <label for>, no wrapping <label> and no aria-label(ledby)."""
    parser = _Controls()
    parser.feed(html)
    return [
        f"<{c['_tag']} name={c.get('name')!r} id={c.get('id')!r}>"
        for c in parser.controls
        if not (c["_wrapped"] or c.get("aria-label") or c.get("aria-labelledby") or c.get("id") in parser.label_for)
    ]


def foreign_urls(html: str) -> list[str]:
    """Links, scripts, styles and form targets that point at another host."""
    parser = _Controls()
    parser.feed(html)
    return [u for u in parser.urls if u.startswith(("http://", "https://", "//"))]
