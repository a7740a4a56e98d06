//! `seeder verify --html FILE`: the verify report as one self-contained HTML page (inline CSS
//! and a small inline script, nothing fetched): personas per business function, a heat map of
//! personas (rows, grouped by function) x persona tables (columns) with row counts, sortable by
//! a click on a column header, orphans, personas without extension rows, and the differences
//! from the input. Every figure sits in an element with stable `data-*` attributes so that a
//! test (or a script) can read the page; all text is escaped (persona names are user input).

use std::fmt::Write;

use crate::verify::VerifyReport;

/// What the page says about the run besides the report itself.
#[derive(Clone, Debug, Default)]
pub struct PageInfo {
    /// The `--input` paths compared with (empty: no comparison was asked for).
    pub inputs: Vec<String>,
}

/// `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The colour class of a count: `c0` for none, `c1`..`c9` on a log scale up to `max`.
fn shade(n: i64, max: i64) -> u32 {
    if n <= 0 || max <= 0 {
        return 0;
    }
    let t = ((n as f64).ln_1p() / (max as f64).ln_1p()).clamp(0.0, 1.0);
    ((t * 9.0).ceil() as u32).clamp(1, 9)
}

/// A table name as a column heading: without the family prefix.
fn short_name(table: &str) -> &str {
    table.strip_prefix("persona_").unwrap_or(table)
}

const STYLE: &str = r#"
:root { --ink: #1d2433; --muted: #667085; --line: #d0d5dd; --ok: #067647; --bad: #b42318; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: var(--ink); margin: 0; padding: 16px 24px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: var(--muted); margin: 0 0 12px; }
.status { display: inline-block; padding: 2px 10px; border-radius: 10px; color: #fff; font-weight: 600; }
.status.ok { background: var(--ok); } .status.failed { background: var(--bad); }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 150px; }
.card b { display: block; font-size: 20px; }
table.list { border-collapse: collapse; }
table.list th, table.list td { border-bottom: 1px solid var(--line); padding: 3px 12px; text-align: left; }
table.list td.n, table.list th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.list tfoot td { font-weight: 600; border-bottom: none; }
.scroll { overflow: auto; max-height: 1100px; border: 1px solid var(--line); }
table.heat { border-collapse: separate; border-spacing: 0; font-size: 11px; }
table.heat th, table.heat td { border-right: 1px solid #eef0f3; border-bottom: 1px solid #eef0f3; }
table.heat thead th { position: sticky; top: 0; background: #f8f9fb; z-index: 2; cursor: pointer;
  vertical-align: bottom; padding: 4px 0; user-select: none; }
table.heat thead th.col span { writing-mode: vertical-rl; transform: rotate(180deg);
  white-space: nowrap; display: inline-block; max-height: 190px; overflow: hidden; text-overflow: ellipsis; }
table.heat thead th.persona { left: 0; z-index: 3; text-align: left; padding: 4px 8px; min-width: 230px; }
table.heat thead th[aria-sort="descending"] { background: #dbe7ff; }
table.heat thead th[aria-sort="ascending"] { background: #eaf1ff; }
table.heat tbody th { position: sticky; left: 0; background: #fff; z-index: 1; text-align: left;
  font-weight: 400; white-space: nowrap; padding: 1px 8px; max-width: 260px; overflow: hidden; text-overflow: ellipsis; }
table.heat tr.group th { background: #f1f3f7; font-weight: 600; padding: 4px 8px; text-align: left; }
table.heat td { width: 18px; min-width: 18px; height: 17px; text-align: center; padding: 0 1px;
  font-variant-numeric: tabular-nums; }
table.heat td.c0 { background: #fff; color: transparent; }
.c1 { background: #e3eefc; } .c2 { background: #c8dcf8; } .c3 { background: #a9c8f3; }
.c4 { background: #86b1ec; } .c5 { background: #6399e2; } .c6 { background: #4581d6; color: #fff; }
.c7 { background: #2d69c2; color: #fff; } .c8 { background: #1f54a6; color: #fff; } .c9 { background: #153f82; color: #fff; }
.legend { display: flex; gap: 2px; align-items: center; margin: 6px 0; font-size: 12px; color: var(--muted); }
.legend i { display: inline-block; width: 22px; height: 14px; border: 1px solid #eef0f3; }
.none { color: var(--ok); } .problem { color: var(--bad); }
ul.plain { margin: 4px 0; padding-left: 20px; }
code { font-size: 12px; }
"#;

/// Sorts the persona rows of every function group (each a `<tbody>`) by the clicked column:
/// counts highest first (a second click reverses), the persona column by name. `#sort=TABLE`
/// in the address applies a sort when the page opens.
const SCRIPT: &str = r#"
(function () {
  var table = document.getElementById('heatmap');
  if (!table) { document.documentElement.setAttribute('data-script', 'ready'); return; }
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function value(row, i, byName) {
    var cell = row.cells[i];
    return byName ? (cell.getAttribute('data-sort-name') || cell.textContent)
                  : Number(cell.getAttribute('data-count') || 0);
  }
  function sortBy(i, dir) {
    var byName = i === 0;
    heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
    heads[i].setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var rows = Array.prototype.filter.call(body.rows, function (r) { return r.hasAttribute('data-persona'); });
      rows.sort(function (a, b) {
        var x = value(a, i, byName), y = value(b, i, byName);
        var c = byName ? x.localeCompare(y) : x - y;
        if (c === 0) { c = a.getAttribute('data-persona').localeCompare(b.getAttribute('data-persona')); return c; }
        return dir * c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
    table.setAttribute('data-sorted-by', heads[i].getAttribute('data-table') || 'persona');
    table.setAttribute('data-sort-dir', dir > 0 ? 'asc' : 'desc');
  }
  heads.forEach(function (h, i) {
    h.addEventListener('click', function () {
      var again = h.hasAttribute('aria-sort');
      var dir = i === 0 ? 1 : -1;
      if (again) { dir = h.getAttribute('aria-sort') === 'ascending' ? -1 : 1; }
      sortBy(i, dir);
    });
  });
  var m = /[#&]sort=([^&]+)/.exec(location.hash);
  if (m) {
    var want = decodeURIComponent(m[1]);
    heads.forEach(function (h, i) {
      if (h.getAttribute('data-table') === want || (i === 0 && want === 'persona')) { sortBy(i, i === 0 ? 1 : -1); }
    });
  }
  document.documentElement.setAttribute('data-script', 'ready');
})();
"#;

/// The whole page.
pub fn render(report: &VerifyReport, info: &PageInfo) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let e = escape;
    let pt = &report.persona_tables;
    let coverage = pt.coverage();
    let total_personas: i64 = report.personas_per_function.iter().map(|(_, n)| n).sum();
    let total_rows: i64 = report.rows_per_table.iter().map(|(_, n)| n).sum();
    let filled = report.rows_per_table.iter().filter(|(_, n)| *n > 0).count();
    let status = if report.ok() { "ok" } else { "failed" };

    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        h,
        "<title>Verify report: tenant {}</title>",
        e(&report.tenant_id.to_string())
    );
    let _ = writeln!(h, "<style>{STYLE}</style>\n</head>");
    let _ = writeln!(
        h,
        "<body data-tenant=\"{}\" data-status=\"{status}\">",
        e(&report.tenant_id.to_string())
    );
    let _ = writeln!(
        h,
        "<h1>Verify report <span class=\"status {status}\">{}</span></h1>",
        if report.ok() { "OK" } else { "FAILED" }
    );
    let _ = writeln!(
        h,
        "<p class=\"meta\">tenant <code>{}</code>{}</p>",
        e(&report.tenant_id.to_string()),
        if info.inputs.is_empty() {
            String::new()
        } else {
            format!(
                ", compared with {}",
                info.inputs
                    .iter()
                    .map(|i| format!("<code>{}</code>", e(i)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    let _ = writeln!(
        h,
        "<div class=\"cards\">\
         <div class=\"card\" id=\"total-personas\" data-personas=\"{total_personas}\"><b>{total_personas}</b>personas</div>\
         <div class=\"card\" id=\"total-functions\" data-functions=\"{}\"><b>{}</b>business functions</div>\
         <div class=\"card\" id=\"total-tables\" data-filled=\"{filled}\" data-tables=\"{}\"><b>{filled} / {}</b>tables with rows</div>\
         <div class=\"card\" id=\"total-rows\" data-rows=\"{total_rows}\"><b>{total_rows}</b>rows</div>\
         <div class=\"card\" id=\"total-orphans\" data-orphans=\"{}\"><b>{}</b>orphan rows</div>\
         </div>",
        report.personas_per_function.len(),
        report.personas_per_function.len(),
        report.rows_per_table.len(),
        report.rows_per_table.len(),
        report.orphans.iter().map(|(_, _, n)| n).sum::<i64>(),
        report.orphans.iter().map(|(_, _, n)| n).sum::<i64>(),
    );

    // Personas per business function, with the coverage of the persona tables.
    h.push_str("<section id=\"functions\">\n<h2>Personas per business function</h2>\n");
    h.push_str("<table class=\"list\" id=\"functions-table\">\n<thead><tr><th>business function</th><th class=\"n\">personas</th><th class=\"n\">persona tables with rows</th></tr></thead>\n<tbody>\n");
    for (function, n) in &report.personas_per_function {
        let tables = coverage
            .iter()
            .find(|c| &c.function == function)
            .map_or(0, |c| c.tables);
        let _ = writeln!(
            h,
            "<tr data-function=\"{f}\" data-personas=\"{n}\" data-tables=\"{tables}\"><td>{f}</td><td class=\"n\">{n}</td><td class=\"n\">{tables} / {}</td></tr>",
            pt.tables.len(),
            f = e(function),
        );
    }
    let _ = writeln!(
        h,
        "</tbody>\n<tfoot><tr data-total=\"personas\" data-personas=\"{total_personas}\"><td>total</td><td class=\"n\">{total_personas}</td><td></td></tr></tfoot>\n</table>\n</section>"
    );

    // The heat map.
    let max = pt
        .personas
        .iter()
        .flat_map(|p| p.counts.iter().copied())
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        h,
        "<section id=\"heat\">\n<h2>Rows per persona and table</h2>\n<p class=\"meta\">{} personas x {} persona tables; click a column heading to sort the personas of each function by it (again to reverse).</p>",
        pt.personas.len(),
        pt.tables.len()
    );
    h.push_str("<div class=\"legend\">0 <i class=\"c0\"></i>");
    for c in 1..=9 {
        let _ = write!(h, "<i class=\"c{c}\"></i>");
    }
    let _ = writeln!(h, " {max} rows</div>");
    let _ = writeln!(
        h,
        "<div class=\"scroll\"><table class=\"heat\" id=\"heatmap\" data-personas=\"{}\" data-tables=\"{}\" data-max=\"{max}\">",
        pt.personas.len(),
        pt.tables.len()
    );
    h.push_str("<thead><tr><th class=\"persona\" title=\"sort by name\">persona</th>");
    for (i, t) in pt.tables.iter().enumerate() {
        let total: i64 = pt.personas.iter().map(|p| p.counts[i]).sum();
        let _ = write!(
            h,
            "<th class=\"col\" data-table=\"{t}\" data-total=\"{total}\" title=\"{t}: {total} rows\"><span>{}</span></th>",
            e(short_name(t)),
            t = e(t),
        );
    }
    h.push_str("</tr></thead>\n");
    let mut start = 0;
    while start < pt.personas.len() {
        let function = &pt.personas[start].function;
        let end = start
            + pt.personas[start..]
                .iter()
                .take_while(|p| &p.function == function)
                .count();
        let _ = writeln!(
            h,
            "<tbody data-function=\"{f}\" data-personas=\"{}\"><tr class=\"group\"><th colspan=\"{}\">{f} ({} personas)</th></tr>",
            end - start,
            pt.tables.len() + 1,
            end - start,
            f = e(function),
        );
        for p in &pt.personas[start..end] {
            let label = p.name.as_deref().unwrap_or(&p.slug);
            let _ = write!(
                h,
                "<tr data-persona=\"{s}\" data-function=\"{f}\"><th scope=\"row\" data-sort-name=\"{l}\" title=\"{l} ({s})\">{l}</th>",
                s = e(&p.slug),
                f = e(function),
                l = e(label),
            );
            for (t, n) in pt.tables.iter().zip(&p.counts) {
                let _ = write!(
                    h,
                    "<td data-persona=\"{s}\" data-table=\"{t}\" data-count=\"{n}\" class=\"c{}\">{}</td>",
                    shade(*n, max),
                    if *n > 0 { n.to_string() } else { String::new() },
                    s = e(&p.slug),
                    t = e(t),
                );
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n");
        start = end;
    }
    h.push_str("</table></div>\n</section>\n");

    // Orphans.
    let _ = writeln!(
        h,
        "<section id=\"orphans\" data-count=\"{}\">\n<h2>Orphan rows</h2>",
        report.orphans.len()
    );
    if report.orphans.is_empty() {
        h.push_str("<p class=\"none\">none: every foreign key points at a row</p>\n");
    } else {
        h.push_str("<table class=\"list\"><thead><tr><th>table</th><th>foreign key</th><th class=\"n\">rows</th></tr></thead><tbody>\n");
        for (table, fk, n) in &report.orphans {
            let _ = writeln!(
                h,
                "<tr data-table=\"{t}\" data-fk=\"{k}\" data-rows=\"{n}\" class=\"problem\"><td>{t}</td><td>{k}</td><td class=\"n\">{n}</td></tr>",
                t = e(table),
                k = e(fk),
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");

    // Personas without extension rows.
    let _ = writeln!(
        h,
        "<section id=\"empty-extensions\" data-count=\"{}\">\n<h2>Personas without any extension row</h2>",
        report.personas_without_extensions.len()
    );
    if report.personas_without_extensions.is_empty() {
        h.push_str("<p class=\"none\">none</p>\n");
    } else {
        h.push_str("<ul class=\"plain\">\n");
        for slug in &report.personas_without_extensions {
            let _ = writeln!(
                h,
                "<li data-persona=\"{s}\" class=\"problem\">{s}</li>",
                s = e(slug)
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");

    // Differences from the input.
    let compared = !info.inputs.is_empty() || report.compared_rows > 0;
    let _ = writeln!(
        h,
        "<section id=\"differences\" data-compared=\"{compared}\" data-compared-rows=\"{}\" data-count=\"{}\">\n<h2>Differences from the input</h2>",
        report.compared_rows,
        report.mismatches.len()
    );
    if !compared {
        h.push_str("<p class=\"meta\">not compared: run verify with <code>--input</code> to compare the database with the documents row by row</p>\n");
    } else if report.mismatches.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"none\">{} rows compared, no differences</p>",
            report.compared_rows
        );
    } else {
        let _ = writeln!(
            h,
            "<p class=\"problem\">{} rows compared, {} differences</p>\n<ul class=\"plain\">",
            report.compared_rows,
            report.mismatches.len()
        );
        for m in &report.mismatches {
            let _ = writeln!(h, "<li class=\"mismatch\">{}</li>", e(m));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");

    let _ = writeln!(h, "<script>{SCRIPT}</script>\n</body>\n</html>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::{PersonaCounts, PersonaTables};

    fn sample() -> VerifyReport {
        VerifyReport {
            personas_per_function: vec![("legal".into(), 1), ("sales".into(), 2)],
            rows_per_table: vec![
                ("personas".into(), 3),
                ("persona_goals".into(), 5),
                ("persona_tags".into(), 0),
            ],
            persona_tables: PersonaTables {
                tables: vec!["persona_goals".into(), "persona_tags".into()],
                personas: vec![
                    PersonaCounts {
                        slug: "counsel".into(),
                        name: Some("Ann <b>\"O'Neil\"</b> & co".into()),
                        function: "legal".into(),
                        counts: vec![2, 0],
                    },
                    PersonaCounts {
                        slug: "rep-a".into(),
                        name: None,
                        function: "sales".into(),
                        counts: vec![3, 0],
                    },
                    PersonaCounts {
                        slug: "rep-b".into(),
                        name: Some("<script>alert(1)</script>".into()),
                        function: "sales".into(),
                        counts: vec![0, 0],
                    },
                ],
            },
            ..Default::default()
        }
    }

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn user_text_never_becomes_markup() {
        let html = render(&sample(), &PageInfo::default());
        assert!(!html.contains("<script>alert(1)"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Ann &lt;b&gt;&quot;O&#39;Neil&quot;&lt;/b&gt; &amp; co"));
        // Exactly the page's own script.
        assert_eq!(html.matches("<script>").count(), 1);
    }

    #[test]
    fn counts_sit_in_stable_attributes() {
        let html = render(&sample(), &PageInfo::default());
        assert!(
            html.contains("<tr data-function=\"sales\" data-personas=\"2\" data-tables=\"1\">")
        );
        assert!(
            html.contains("<tr data-function=\"legal\" data-personas=\"1\" data-tables=\"1\">")
        );
        assert!(html.contains("data-total=\"personas\" data-personas=\"3\""));
        assert!(html.contains(
            "<td data-persona=\"rep-a\" data-table=\"persona_goals\" data-count=\"3\" class=\"c9\">3</td>"
        ));
        // Zero is an empty cell.
        assert!(html.contains(
            "<td data-persona=\"rep-b\" data-table=\"persona_goals\" data-count=\"0\" class=\"c0\"></td>"
        ));
        assert!(html.contains("<th class=\"col\" data-table=\"persona_tags\" data-total=\"0\""));
        // Grouped by function, in the report's order.
        let legal = html.find("<tbody data-function=\"legal\"").unwrap();
        let sales = html
            .find("<tbody data-function=\"sales\" data-personas=\"2\"")
            .unwrap();
        assert!(legal < sales);
        // A persona without a name is shown by its slug.
        assert!(html.contains("data-sort-name=\"rep-a\""));
    }

    #[test]
    fn the_page_fetches_nothing() {
        let html = render(&sample(), &PageInfo::default());
        for needle in ["http://", "https://", "<link", " src=", "@import", "url("] {
            assert!(!html.contains(needle), "{needle} in the page");
        }
    }

    #[test]
    fn problems_and_differences_are_listed() {
        let mut report = sample();
        report.orphans = vec![("persona_goals".into(), "fk_<x>".into(), 4)];
        report.personas_without_extensions = vec!["rep-b".into()];
        report.mismatches = vec!["persona_goals: row 1 (a<b.yaml) differs".into()];
        report.compared_rows = 10;
        let html = render(
            &report,
            &PageInfo {
                inputs: vec!["data".into()],
            },
        );
        assert!(html.contains("data-status=\"failed\""));
        assert!(
            html.contains("data-table=\"persona_goals\" data-fk=\"fk_&lt;x&gt;\" data-rows=\"4\"")
        );
        assert!(html.contains("<section id=\"empty-extensions\" data-count=\"1\">"));
        assert!(html.contains("<li data-persona=\"rep-b\""));
        assert!(html.contains(
            "<section id=\"differences\" data-compared=\"true\" data-compared-rows=\"10\" data-count=\"1\">"
        ));
        assert!(html.contains("(a&lt;b.yaml)"));

        let clean = render(&sample(), &PageInfo::default());
        assert!(clean.contains("data-status=\"ok\""));
        assert!(clean.contains("data-compared=\"false\""));
        assert!(clean.contains("<section id=\"orphans\" data-count=\"0\">"));
    }

    #[test]
    fn shades_grow_with_the_count() {
        assert_eq!(shade(0, 100), 0);
        assert_eq!(shade(1, 100), 2);
        assert_eq!(shade(100, 100), 9);
        assert!(shade(10, 100) < shade(50, 100));
        assert_eq!(shade(5, 0), 0);
    }
}
