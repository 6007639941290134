//! The page: HTML escaping, the charts embedded as inline SVG with their
//! titles and text alternatives, and the style sheet (inline, for screen
//! and print). Nothing on the page loads anything: a content security
//! policy of `default-src 'none'` says so to the browser too.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::charts::Chart;

/// Text made safe for HTML (element content and quoted attribute values):
/// `& < > " '` become entities, and control characters other than tab and
/// line breaks, which HTML does not allow, become U+FFFD.
pub fn escape(text: &str) -> Cow<'_, str> {
    let special = |c: char| {
        matches!(c, '&' | '<' | '>' | '"' | '\'')
            || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    };
    if !text.chars().any(special) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The style sheet: readable on screen and on paper.
const STYLE: &str = "\
:root{color-scheme:light}
body{font-family:sans-serif;line-height:1.45;color:#1a1a1a;background:#fff;max-width:1000px;margin:0 auto;padding:1em 1.5em 3em}
h1{font-size:1.7em;margin:.2em 0}
h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
h3{margin-top:1.4em}
.meta{color:#555;font-size:.92em}
nav ol{columns:2;font-size:.95em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9em;width:100%}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2;overflow-wrap:anywhere}
.scroll{overflow-x:auto}
caption{text-align:left;font-weight:bold;padding:.2em 0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1em 0 1.6em;break-inside:avoid;page-break-inside:avoid}
figure svg{max-width:100%;height:auto;display:block;border:1px solid #e4e4e4}
figcaption{font-size:.9em;color:#333;margin-top:.35em}
details{margin:.3em 0 1em}
.note{background:#f7f7f0;border-left:4px solid #c9c28a;padding:.4em .8em}
code{font-size:.92em}
@media print{body{max-width:none;padding:0;font-size:10.5pt}nav{display:none}
 h2{break-after:avoid}a{color:inherit;text-decoration:none}
 figure svg{border:none}th{background:#eee}}
";

/// A page under construction.
#[derive(Debug, Default)]
pub struct Page {
    head: String,
    body: String,
    charts: usize,
    toc: Vec<(String, String)>,
}

impl Page {
    /// A new empty page.
    pub fn new() -> Self {
        Page::default()
    }

    /// Sets the page's header, shown above the contents (raw HTML: the
    /// caller has escaped any text in it).
    pub fn header(&mut self, html: &str) {
        self.head = html.to_string();
    }

    /// Appends raw HTML (the caller has escaped any text in it).
    pub fn raw(&mut self, html: &str) {
        self.body.push_str(html);
    }

    /// Opens a section with a heading, listed in the contents.
    pub fn section(&mut self, id: &str, heading: &str) {
        if !self.toc.is_empty() {
            self.body.push_str("</section>\n");
        }
        self.toc.push((id.to_string(), heading.to_string()));
        let _ = writeln!(
            self.body,
            "<section id=\"{id}\">\n<h2>{}</h2>",
            escape(heading)
        );
    }

    /// A paragraph of plain text.
    pub fn para(&mut self, text: &str) {
        let _ = writeln!(self.body, "<p>{}</p>", escape(text));
    }

    /// A note set apart.
    pub fn note(&mut self, text: &str) {
        let _ = writeln!(self.body, "<p class=\"note\">{}</p>", escape(text));
    }

    /// A table of plain text cells (`num` marks right-aligned columns).
    pub fn table(&mut self, caption: &str, head: &[&str], rows: &[Vec<String>], num: &[usize]) {
        let _ = write!(
            self.body,
            "<div class=\"scroll\"><table>\n<caption>{}</caption>\n<thead><tr>",
            escape(caption)
        );
        for h in head {
            let _ = write!(self.body, "<th scope=\"col\">{}</th>", escape(h));
        }
        self.body.push_str("</tr></thead>\n<tbody>\n");
        for r in rows {
            self.body.push_str("<tr>");
            for (k, c) in r.iter().enumerate() {
                let class = if num.contains(&k) {
                    " class=\"num\""
                } else {
                    ""
                };
                let _ = write!(self.body, "<td{class}>{}</td>", escape(c));
            }
            self.body.push_str("</tr>\n");
        }
        self.body.push_str("</tbody>\n</table></div>\n");
    }

    /// A chart as inline SVG, labelled by its title and described by its
    /// text alternative, with a visible caption.
    pub fn chart(&mut self, chart: &Chart, caption: &str) {
        self.charts += 1;
        let id = format!("chart-{}", self.charts);
        let svg = labelled(chart, &id);
        let _ = writeln!(
            self.body,
            "<figure class=\"chart\" id=\"{id}\">\n{svg}<figcaption>{}</figcaption>\n</figure>",
            escape(caption)
        );
    }

    /// Charts on the page so far.
    pub fn charts(&self) -> usize {
        self.charts
    }

    /// The whole document.
    pub fn finish(mut self, title: &str) -> String {
        if !self.toc.is_empty() {
            self.body.push_str("</section>\n");
        }
        let mut toc = String::from("<nav aria-label=\"Contents\"><ol>\n");
        for (id, h) in &self.toc {
            let _ = writeln!(toc, "<li><a href=\"#{id}\">{}</a></li>", escape(h));
        }
        toc.push_str("</ol></nav>\n");
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{}{toc}<main>\n{}</main>\n</body>\n</html>\n",
            escape(title),
            self.head,
            self.body
        )
    }
}

/// The chart's SVG with `role="img"`, a `<title>` and a `<desc>` it is
/// labelled and described by.
fn labelled(chart: &Chart, id: &str) -> String {
    let svg = &chart.svg;
    let Some(open) = svg.find("<svg") else {
        return svg.clone();
    };
    let Some(end) = svg[open..].find('>').map(|k| open + k) else {
        return svg.clone();
    };
    let mut out = String::with_capacity(svg.len() + chart.desc.len() + 200);
    out.push_str(&svg[open..end]);
    let _ = write!(
        out,
        " role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(&chart.title),
        escape(&chart.desc)
    );
    out.push_str(&svg[end + 1..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(escape("a & 'b' \"c\""), "a &amp; &#39;b&#39; &quot;c&quot;");
        assert_eq!(escape("x\u{1b}[31my\u{0}"), "x\u{fffd}[31my\u{fffd}");
        assert!(matches!(escape("plain text, 1–2"), Cow::Borrowed(_)));
        assert_eq!(escape("tab\tnew\nline"), "tab\tnew\nline");
    }

    #[test]
    fn a_chart_is_labelled_by_its_title_and_described() {
        let c = Chart {
            svg: "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/>\n</svg>\n"
                .into(),
            title: "Shares <&>".into(),
            desc: "a \"b\"".into(),
        };
        let mut p = Page::new();
        p.section("s", "S");
        p.chart(&c, "cap <i>");
        let html = p.finish("T");
        assert!(html.contains(
            "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
             aria-labelledby=\"chart-1-title\" aria-describedby=\"chart-1-desc\">\
             <title id=\"chart-1-title\">Shares &lt;&amp;&gt;</title>\
             <desc id=\"chart-1-desc\">a &quot;b&quot;</desc>\n<rect/>"
        ), "{html}");
        assert!(html.contains("<figcaption>cap &lt;i&gt;</figcaption>"));
        assert!(html.contains("default-src 'none'"));
    }
}
