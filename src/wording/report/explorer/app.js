// The explorer page's script: term list, concordance, free-text search, article view with the
// removed lines, counterparts. Plain JavaScript; tables by DataTables (the itables bundle,
// inlined as base64 and imported from a blob URL: no network, works from file://).
"use strict";

const D = JSON.parse(document.getElementById("explorer-data").textContent);
const $ = (sel) => document.querySelector(sel);
const MAX_SEARCH_LINES = 500; // search result lines drawn (all matches are counted)
const CONTEXT = 60; // characters of context either side of a search match
const USE_LABEL = {
  own: "own words", gloss: "gloss (named and attributed to a side)", quoted: "quoted",
  bracketed: "bracketed insertion in a quotation", scare: "scare quotes",
};
const fmt = (n) => (n === null || n === undefined ? "" : n.toLocaleString("en-US"));

function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
function swatch(k) {
  return `<span class="outlet-swatch" style="background:${D.colours[k]}"></span>`;
}
function outletName(k) {
  return swatch(k) + esc(D.outlets[k]);
}
function articleHref(a, start, end) {
  return `#article=${a}:${start}:${end}`;
}

// ---- views and routing -------------------------------------------------------------------
function show(view) {
  document.querySelectorAll(".view").forEach((v) => v.classList.toggle("active", v.id === "view-" + view));
  document.querySelectorAll("#nav a").forEach((a) => a.classList.toggle("active", a.dataset.view === view));
}
function route() {
  const hash = decodeURIComponent(location.hash.slice(1));
  const [key, ...rest] = hash.split("=");
  const value = rest.join("=");
  if (key === "term" && value) { drawConcordance(value); show("concordance"); }
  else if (key === "search") { if (value) drawSearch(value); show("search"); }
  else if (key === "article" && value) { drawArticle(value); show("article"); }
  else if (["concordance", "article", "counterparts", "about"].includes(key)) show(key);
  else show("terms");
  window.scrollTo(0, 0);
  const mark = document.querySelector(".view.active mark.target");
  if (mark) mark.scrollIntoView({ block: "center" });
}

// ---- header and about --------------------------------------------------------------------
function drawHeader() {
  $("#page-title").textContent = document.title;
  const parts = D.outlets.map((o, k) => `${outletName(k)} ${fmt(D.outlet_articles[k])}`);
  $("#summary").innerHTML = `${fmt(D.n_articles)} articles, ${D.outlets.length} outlets: ${parts.join(" · ")}. `
    + (D.caps.length ? `<a href="#about">Capped to stay small</a>: ${D.caps.length} of the page's caps bit (counts still cover every article).` : "Nothing was capped: every mention and article is here.");
  const caps = D.caps.length ? `<ul class="caps">${D.caps.map((c) => `<li>${esc(c)}</li>`).join("")}</ul>`
    : "<p>No cap bit: the page holds every term, every mention and every article text.</p>";
  $("#about").innerHTML = `<h2>What this page holds</h2>
    <p>Built by <code>python -m wording explorer</code> from the tables of <code>python -m wording build</code>
    (articles.csv, paragraphs.csv, term_mentions.csv, term_counts.csv, keyness.csv, removed_lines.csv,
    counterparts.csv). Everything is inside this one file; it loads nothing from the network.</p>
    <h3>What was capped</h3>${caps}
    <p class="hint">Caps: at most ${fmt(D.limits.terms)} terms; ${fmt(D.limits.lines_per_term)} concordance lines
    per term; ${fmt(D.limits.text_bytes)} bytes of article text; ${fmt(D.limits.key_per_outlet)} key words per outlet;
    ${fmt(D.limits.vocab_entries)} word counts; ${fmt(D.limits.facts)} counterpart facts. The page holds the texts of
    ${fmt(D.articles.length)} of ${fmt(D.n_articles)} articles.</p>
    <p class="hint">Tables: ${esc(D.library)}.</p>`;
}

// ---- term list and key words (DataTables) ------------------------------------------------
function drawTerms(DataTable) {
  const rows = [];
  for (const t of D.terms) {
    for (const o of t.outlets) {
      const n = D.uses.reduce((s, u) => s + o.uses[u], 0);
      rows.push([t.id, t.side, t.category, o.o, n, ...D.uses.map((u) => o.uses[u]), o.rate, o.z, `${fmt(t.shown)} of ${fmt(t.total)}`]);
    }
  }
  const text = DataTable.render.text();
  const count = DataTable.render.number(",", ".", 0);
  const rate = DataTable.render.number(",", ".", 2);
  const columns = [
    { title: "Term", render: (v, type) => (type === "display" ? `<a class="term-link" data-term="${esc(v)}" href="#term=${encodeURIComponent(v)}">${esc(v)}</a>` : v) },
    { title: "Side", render: text }, { title: "Category", render: text },
    { title: "Outlet", render: (v, type) => (type === "display" ? outletName(v) : D.outlets[v]) },
    { title: "Mentions", className: "dt-right", render: count },
    ...D.uses.map((u) => ({ title: u === "bracketed" ? "bracketed" : USE_LABEL[u].replace(/ \(.*/, ""), className: "dt-right", render: count })),
    { title: "Per 1,000 words", className: "dt-right", render: rate },
    { title: "Keyness z", className: "dt-right", render: (v, type) => (v === null ? (type === "display" ? "–" : -1e9) : v) },
    { title: "Term's lines in page", render: text },
  ];
  new DataTable("#terms-table", { data: rows, columns, pageLength: 25, order: [[4, "desc"], [0, "asc"]] });

  $("#key-hint").textContent = `Fightin' Words z of each word in one outlet against all the others (log-odds ratio with an informative Dirichlet prior; keyness.csv), the top ${D.key_per_outlet} words per outlet, stop words left out (the search box counts them). Robust: significant under both priors and in at least 95% of article-level resamples. Click a word to search it.`;
  new DataTable("#key-table", {
    data: D.keyness,
    columns: [
      { title: "Outlet", render: (v, type) => (type === "display" ? outletName(v) : D.outlets[v]) },
      { title: "Word", render: (v, type) => (type === "display" ? `<a class="key-link" href="#search=${encodeURIComponent(v)}">${esc(v)}</a>` : v) },
      { title: "Count", className: "dt-right", render: DataTable.render.number(",", ".", 0) },
      { title: "Per 1,000 words", className: "dt-right", render: DataTable.render.number(",", ".", 2) },
      { title: "Others per 1,000", className: "dt-right", render: DataTable.render.number(",", ".", 2) },
      { title: "z", className: "dt-right", render: DataTable.render.number(",", ".", 2) },
      { title: "Robust", render: (v) => (v ? "yes" : "") },
    ],
    pageLength: 10, order: [[5, "desc"]],
  });
}

// ---- concordance -------------------------------------------------------------------------
const KWIC_TABLE = '<table class="kwic"><colgroup><col class="c-left"><col class="c-match"><col class="c-right"><col class="c-meta"></colgroup>';
function kwicRow(cells, href, meta) {
  return `<tr class="kwic-line"><td class="left"><span>${esc(cells[0])}</span></td>`
    + `<td class="match"><a href="${href}">${esc(cells[1])}</a></td><td class="right">${esc(cells[2])}</td>`
    + `<td class="meta" title="${meta.replace(/<[^>]*>/g, "")}">${meta}</td></tr>`;
}
function drawConcordance(termId) {
  const term = D.terms.find((t) => t.id === termId);
  const box = $("#concordance");
  if (!term) { box.innerHTML = `<p>No lexicon term <code>${esc(termId)}</code> in this page.</p>`; return; }
  const lines = D.lines[termId] || [];
  let html = `<h2 id="concordance-title">${esc(term.id)}</h2><p class="hint">${esc(term.side)} · ${esc(term.category)}: `
    + `${fmt(term.total)} mentions; <span id="concordance-shown">${fmt(lines.length)}</span> lines shown`
    + (lines.length < term.total ? " (capped: see About this page)" : "") + ". Grouped by outlet, then voice and use. Click the match to read the article.</p>";
  D.outlets.forEach((name, k) => {
    const mine = lines.filter((l) => l[3] === k);
    const counts = term.outlets[k];
    const total = D.uses.reduce((s, u) => s + counts.uses[u], 0);
    if (!total) return;
    html += `<h3 class="conc-outlet">${outletName(k)}: ${fmt(total)} mentions, ${counts.rate} per 1,000 words</h3>`;
    const groups = new Map();
    for (const l of mine) {
      const key = `${l[4]} voice: ${USE_LABEL[l[5]] || l[5]}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(l);
    }
    for (const [key, group] of groups) {
      html += `<h4>${esc(key)} (${group.length} of ${counts.uses[group[0][5]]})</h4>${KWIC_TABLE}`;
      for (const l of group) {
        const a = D.articles[l[0]];
        const meta = [l[6] ? "speaker: " + esc(l[6]) : "", l[7] ? "wording: " + esc(l[7]) : "", esc(a[2]), esc(a[0])].filter(Boolean).join(" · ");
        html += kwicRow([l[8], l[9], l[10]], articleHref(l[0], l[1], l[2]), meta);
      }
      html += "</table>";
    }
  });
  box.innerHTML = html;
}

// ---- free-text search --------------------------------------------------------------------
function searchPattern(query) {
  const words = query.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/['’]/g, "['’]"));
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.join("\\s+")}(?![\\p{L}\\p{N}])`, "giu");
}
function drawSearch(query) {
  $("#search-input").value = query;
  const box = $("#search-results");
  if (!query.trim()) { box.innerHTML = ""; return; }
  const pattern = searchPattern(query);
  const counts = D.outlets.map(() => 0);
  const byOutlet = D.outlets.map(() => []);
  let total = 0;
  D.articles.forEach((a, i) => {
    for (const m of a[4].matchAll(pattern)) {
      counts[a[1]] += 1; total += 1;
      byOutlet[a[1]].push([i, m.index, m.index + m[0].length]);
    }
  });
  const known = D.vocab[query.trim().toLowerCase().replace(/\s+/g, " ")];
  let html = `<h2 id="search-title">“${esc(query)}”</h2>`;
  if (known) {
    html += `<p class="note" id="search-corpus">In the whole corpus (the build's word counts, keyness.csv): `
      + D.outlets.map((o, k) => `${outletName(k)} ${fmt(known[k])}`).join(" · ") + "</p>";
  }
  const scope = D.articles.length < D.n_articles ? `the ${fmt(D.articles.length)} article texts this page holds (of ${fmt(D.n_articles)})` : `all ${fmt(D.n_articles)} articles`;
  html += `<p>Found <span id="search-total">${fmt(total)}</span> times in ${scope}: `
    + D.outlets.map((o, k) => `${outletName(k)} ${fmt(counts[k])}`).join(" · ")
    + `. Whole words, any case; spaces match any white space.${total > MAX_SEARCH_LINES ? ` The first ${MAX_SEARCH_LINES} lines are shown.` : ""}</p>`;
  let drawn = 0;
  byOutlet.forEach((hits, k) => {
    if (!hits.length || drawn >= MAX_SEARCH_LINES) return;
    html += `<h3>${outletName(k)} (${fmt(hits.length)})</h3>${KWIC_TABLE}`;
    for (const [i, s, e] of hits) {
      if (drawn >= MAX_SEARCH_LINES) break;
      const body = D.articles[i][4];
      const meta = `${esc(D.articles[i][2])} · ${esc(D.articles[i][0])}`;
      html += kwicRow([body.slice(Math.max(0, s - CONTEXT), s), body.slice(s, e), body.slice(e, e + CONTEXT)], articleHref(i, s, e), meta);
      drawn += 1;
    }
    html += "</table>";
  });
  box.innerHTML = html;
}

// ---- article view with the removed lines -------------------------------------------------
function paragraphSpans(body, spans) {
  if (spans.length) return spans;
  const out = [];
  let at = 0;
  for (const part of body.split("\n\n")) { out.push([at, at + part.length]); at += part.length + 2; }
  return out;
}
function drawArticle(value) {
  const [i, start, end] = value.split(":").map(Number);
  const a = D.articles[i];
  const box = $("#article");
  if (!a) { box.innerHTML = "<p>This article's text is not in the page.</p>"; return; }
  const [file, k, date, headline, body, source, spans, removed] = a;
  let html = `<h2 id="article-headline">${esc(headline || file)}</h2><p class="article-meta">${outletName(k)} · ${esc(date || "no date")} · <code>${esc(file)}</code>`
    + (source ? ` · wording: ${esc(source)}` : "") + "</p><div class=\"article-body\">";
  for (const [s, e] of paragraphSpans(body, spans)) {
    if (Number.isFinite(start) && start < e && end > s && end > start) {
      const hs = Math.max(s, start), he = Math.min(e, end);
      html += `<p>${esc(body.slice(s, hs))}<mark class="target">${esc(body.slice(hs, he))}</mark>${esc(body.slice(he, e))}</p>`;
    } else {
      html += `<p>${esc(body.slice(s, e))}</p>`;
    }
  }
  html += "</div>";
  html += `<p><button id="toggle-removed" type="button" aria-expanded="false">Show the ${removed.length} lines removed from the page as chrome</button></p>`
    + `<ol class="removed" id="removed-lines" hidden>${removed.map(([line, text, rule]) => `<li value="${line}"><span class="rule">${esc(rule)}</span>${esc(text)}</li>`).join("")}</ol>`;
  box.innerHTML = html;
  $("#toggle-removed").addEventListener("click", (event) => {
    const list = $("#removed-lines");
    list.hidden = !list.hidden;
    event.target.setAttribute("aria-expanded", String(!list.hidden));
    event.target.textContent = `${list.hidden ? "Show" : "Hide"} the ${removed.length} lines removed from the page as chrome`;
  });
}

// ---- counterparts ------------------------------------------------------------------------
function drawCounterparts() {
  const box = $("#counterparts");
  const C = D.counterparts;
  if (!C) {
    box.innerHTML = `<h2>Counterparts</h2><p class="note" id="no-counterparts">This build has no counterparts.csv, so there are no facts to set side by side. A build that writes it (the same fact in each outlet's words) fills this view.</p>`;
    return;
  }
  const col = Object.fromEntries(C.columns.map((c, k) => [c, k]));
  const facts = new Map();
  for (const r of C.rows) {
    if (!facts.has(r[col.fact_id])) facts.set(r[col.fact_id], []);
    facts.get(r[col.fact_id]).push(r);
  }
  const fileIndex = new Map(D.articles.map((a, i) => [a[0], i]));
  const outletIndex = new Map(D.outlets.map((o, k) => [o, k]));
  function passage(file, outlet, paragraph, sentence, text, terms) {
    const k = outletIndex.get(outlet);
    const colour = k === undefined ? "#999" : D.colours[k];
    const i = fileIndex.get(file);
    const at = i === undefined ? -1 : D.articles[i][4].indexOf(text);
    const where = `¶${esc(paragraph)}${sentence ? " · sentence " + esc(sentence) : ""} · ${esc(file)}`;
    const link = at >= 0 ? ` · <a href="${articleHref(i, at, at + text.length)}">read the article</a>` : "";
    const chips = terms ? terms.split(/;\s*/).filter(Boolean).map((t) => `<span class="term-chip">${esc(t)}</span>`).join("") : "";
    return `<div class="passage" style="border-top-color:${colour}"><div class="who">${esc(outlet)}</div>`
      + `<div class="passage-text">${esc(text)}</div><div class="where">${where}${link}</div>${chips}</div>`;
  }
  let html = `<h2>The same fact in each outlet's words</h2><p class="hint">${fmt(facts.size)} of ${fmt(C.n_facts)} facts shown`
    + ` (${fmt(C.rows.length)} of ${fmt(C.n_rows)} counterpart pairs), from counterparts.csv. Each fact: its passages side by side, then the pairs with their scores and the words they share and do not.</p>`
    + `<p><input id="fact-filter" type="search" placeholder="filter facts by a word or outlet" size="40" aria-label="filter facts"></p>`;
  for (const [id, rows] of facts) {
    const seen = new Map();
    for (const r of rows) {
      const a = [r[col.file], r[col.outlet], r[col.paragraph], r[col.sentence], r[col.text], r[col.terms]];
      const b = [r[col.counterpart_file], r[col.counterpart_outlet], r[col.counterpart_paragraph], r[col.counterpart_sentence], r[col.counterpart_text], r[col.counterpart_terms]];
      for (const p of [a, b]) { const key = p.slice(0, 4).join("|"); if (!seen.has(key)) seen.set(key, p); }
    }
    const outlets = new Set([...seen.values()].map((p) => p[1]));
    html += `<div class="fact" data-fact="${esc(id)}"><h3>Fact ${esc(id)}: told by ${outlets.size} outlet${outlets.size === 1 ? "" : "s"} in ${seen.size} passages</h3><div class="passages">`
      + [...seen.values()].map((p) => passage(...p)).join("") + "</div><table class=\"pairs\"><tr><th>pair</th><th>score</th><th>semantic</th><th>lexical</th><th>mutual</th><th>shared words</th><th>differing words</th></tr>";
    for (const r of rows) {
      html += `<tr class="pair"><td>${esc(r[col.outlet])} ¶${esc(r[col.paragraph])} ↔ ${esc(r[col.counterpart_outlet])} ¶${esc(r[col.counterpart_paragraph])}</td>`
        + `<td>${r[col.score] ?? ""}</td><td>${r[col.semantic] ?? ""}</td><td>${r[col.lexical] ?? ""}</td><td>${esc(r[col.mutual])}</td>`
        + `<td>${esc(r[col.shared_words])}</td><td>${esc(r[col.differing_words])}</td></tr>`;
    }
    html += "</table></div>";
  }
  box.innerHTML = html;
  $("#fact-filter").addEventListener("input", (event) => {
    const q = event.target.value.trim().toLowerCase();
    box.querySelectorAll(".fact").forEach((f) => { f.hidden = q !== "" && !f.textContent.toLowerCase().includes(q); });
  });
}

// ---- start -------------------------------------------------------------------------------
async function loadDataTables() {
  const source = atob(document.getElementById("datatables-base64").textContent.trim());
  const bytes = Uint8Array.from(source, (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: "text/javascript" }));
  try { return (await import(url)).default; } finally { URL.revokeObjectURL(url); }
}

drawHeader();
drawCounterparts();
$("#search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  location.hash = "search=" + encodeURIComponent($("#search-input").value);
});
window.addEventListener("hashchange", route);
route();
drawTerms(await loadDataTables());
document.body.dataset.ready = "true";
