"use strict";
// wirecheck report: filters, finding details and keyboard navigation. Text only ever
// reaches the page through textContent: nothing from the data is parsed as HTML.
(function () {
  const data = JSON.parse(document.getElementById("wirecheck-data").textContent);
  const S = data.strings, F = data.findings, D = data.docs;
  const str = (k) => (k < 0 ? null : S[k]);
  const famOn = data.families.map(() => true);
  const sevOn = data.severities.map(() => true);
  let clusterFilter = "";
  const marks = Array.from(document.querySelectorAll("mark.f"));
  const markIds = marks.map((m) => m.dataset.f.split(" ").map(Number));
  const firstMark = new Array(F.length);
  marks.forEach((m, k) => {
    m.dataset.fam = m.className.match(/\bf(\d+)\b/)[1];
    for (const g of markIds[k]) if (firstMark[g] === undefined) firstMark[g] = m;
  });
  const sections = Array.from(document.querySelectorAll("section.cluster"));
  let order = [];
  let current = -1;

  let langFilter = "", sourceFilter = "";
  function clusterShown(ci) {
    const sec = sections[ci];
    if (langFilter && sec && !sec.dataset.langs.split(" ").includes(langFilter)) return false;
    if (sourceFilter && sec && !sec.dataset.sources.split("\n").includes(sourceFilter)) return false;
    if (clusterFilter === "") return true;
    if (clusterFilter === "multi") return sections[ci] && sections[ci].dataset.multi === "1";
    return String(ci) === clusterFilter;
  }
  function visible(g) {
    const f = F[g];
    return famOn[f[1]] && sevOn[f[2]] && clusterShown(D[f[0]][1]);
  }

  // ---- review: decisions per finding, kept in this browser's storage for this run's report ----
  const storeKey = "wirecheck-decisions:" + data.signature;
  let state = { remove_chrome: false, documents: {} };
  try {
    const saved = JSON.parse(window.localStorage.getItem(storeKey) || "null");
    if (saved && typeof saved === "object" && saved.documents) state = saved;
  } catch (e) { /* storage unavailable (private mode): decisions last for this visit */ }
  const fKey = (g) => str(F[g][3]) + "@" + F[g][5] + "-" + F[g][6];
  const docId = (g) => D[F[g][0]][0];
  function decision(g) {
    const d = state.documents[docId(g)];
    return d ? d[fKey(g)] : undefined;
  }
  function save() {
    try { window.localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* see above */ }
    let n = 0;
    for (const id in state.documents) n += Object.keys(state.documents[id]).length;
    document.getElementById("decided").textContent = n ? `${n} decision${n === 1 ? "" : "s"}` : "";
  }
  function decide(gs, action, text) {
    for (const g of gs) {
      if (str(F[g][9]) === null) continue;
      const id = docId(g);
      if (!state.documents[id]) state.documents[id] = {};
      if (action === null) delete state.documents[id][fKey(g)];
      else state.documents[id][fKey(g)] = { action: action, text: action === "reject" ? null : text };
    }
    save();
    apply();
    if (current >= 0) select(current, false);
  }
  function alike(g) {
    // the same problem elsewhere: same code, same flagged text, same suggested fix
    const out = [];
    for (let h = 0; h < F.length; h++) if (F[h][3] === F[g][3] && F[h][7] === F[g][7] && F[h][9] === F[g][9]) out.push(h);
    return out;
  }
  function correctedText(doc) {
    // what wirecheck apply writes (toolkit/report/review.py): the same edits, in the same order
    const cs = chars(doc);
    const id = D[doc][0];
    const dec = state.documents[id] || {};
    const edits = [];
    for (let g = 0; g < F.length; g++) {
      if (F[g][0] !== doc) continue;
      const code = str(F[g][3]);
      const d = dec[fKey(g)];
      if (d && d.action !== "reject" && typeof d.text === "string") edits.push([F[g][5], F[g][6], code, d.text]);
      else if (!d && state.remove_chrome && code.startsWith("boilerplate.") && str(F[g][9]) === "") edits.push([F[g][5], F[g][6], code, ""]);
    }
    edits.sort((x, y) => x[0] - y[0] || y[1] - x[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0));
    const parts = [];
    let pos = 0, removed = false;
    for (const [s0, e0, , text] of edits) {
      if (s0 < pos || e0 > cs.length || s0 > e0) continue;
      parts.push(cs.slice(pos, s0).join(""), text);
      if (text === "" && e0 > s0) removed = true;
      pos = e0;
    }
    parts.push(cs.slice(pos).join(""));
    let out = parts.join("");
    if (state.remove_chrome && removed) out = out.replace(/\n[ \t]*(?:\n[ \t]*)+/g, "\n\n").replace(/^\n+|\n+$/g, "") + "\n";
    return out;
  }
  function safeName(id) {
    let name = Array.from(id).map((c) => (/[\p{L}\p{N}\-_.]/u.test(c) ? c : "_")).join("").replace(/^\.+|\.+$/g, "") || "document";
    return name.endsWith(".txt") ? name : name + ".txt";
  }
  function download(name, text, type) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  function exportDecisions() {
    const docs = {};
    for (const id of Object.keys(state.documents).sort()) {
      const keys = Object.keys(state.documents[id]).sort();
      if (keys.length) docs[id] = keys.map((k) => ({ finding: k, action: state.documents[id][k].action, text: state.documents[id][k].text }));
    }
    const out = { format: "wirecheck-decisions/1", signature: data.signature, remove_chrome: !!state.remove_chrome, documents: docs };
    download("wirecheck-decisions.json", JSON.stringify(out, null, 1) + "\n", "application/json");
  }

  function apply() {
    sections.forEach((s) => s.classList.toggle("hidden", !clusterShown(Number(s.dataset.cluster))));
    document.querySelectorAll("ol.triage li").forEach((li) => li.classList.toggle("hidden", !clusterShown(Number(li.dataset.cluster))));
    marks.forEach((m, k) => {
      const g = markIds[k].find(visible);
      if (g === undefined) {
        m.classList.add("off");
        return;
      }
      m.classList.remove("off");
      m.classList.toggle("n", F[g][2] === 3);
      const d = decision(g);
      m.classList.toggle("acc", !!d && d.action !== "reject");
      m.classList.toggle("rej", !!d && d.action === "reject");
      const fam = String(F[g][1]);
      if (m.dataset.fam !== fam) {
        m.classList.remove("f" + m.dataset.fam);
        m.classList.add("f" + fam);
        m.dataset.fam = fam;
      }
    });
    document.querySelectorAll("details.findings li").forEach((li) => {
      li.classList.toggle("hidden", !visible(Number(li.dataset.g)));
    });
    order = [];
    for (let g = 0; g < F.length; g++) if (firstMark[g] && visible(g)) order.push(g);
    if (current >= 0 && !visible(current)) select(-1);
    position();
  }

  function position() {
    const el = document.getElementById("position");
    const k = order.indexOf(current);
    el.textContent = k >= 0 ? `finding ${k + 1} of ${order.length}` : `${order.length} findings shown`;
  }

  function add(parent, tag, text, cls) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    e.textContent = text;
    parent.appendChild(e);
    return e;
  }
  const line = (parent, cls, text) => add(parent, "p", text, cls);
  function codeAndSeverity(parent, f) {
    add(parent, "span", str(f[3]), "code");
    add(parent, "span", data.severities[f[2]], "sevtag s" + f[2]);
  }

  function describe(g, box) {
    const f = F[g];
    const head = document.createElement("p");
    codeAndSeverity(head, f);
    const cat = str(f[4]);
    if (cat) head.append(document.createTextNode(cat));
    box.appendChild(head);
    const q = line(box, "", "");
    const quote = document.createElement("span");
    quote.className = "quote";
    quote.textContent = str(f[7]);
    q.append(quote);
    line(box, "", str(f[8]) || "");
    const fix = str(f[9]);
    if (fix !== null) {
      const p = line(box, "fix", "Suggested fix: " + (fix === "" ? "remove it" : "“" + fix + "”"));
      const tag = document.createElement("span");
      tag.className = "review";
      tag.textContent = f[10] ? "  (safe: applied in the cleaned text)" : "  (an editor's call: not applied)";
      p.append(tag);
    }
    const other = str(f[11]);
    if (other) line(box, "help", "Compared with: " + other);
    if (fix === null) return;
    const d = decision(g);
    if (d) {
      const what = d.action === "reject" ? "Rejected" : d.action === "edit" ? "Edited: “" + d.text + "”" : "Accepted";
      line(box, "decision " + (d.action === "reject" ? "rej" : "acc"), what);
    }
    const actions = document.createElement("div");
    actions.className = "actions";
    const button = (label, title, fn) => {
      const b = add(actions, "button", label);
      b.type = "button";
      b.title = title;
      b.addEventListener("click", fn);
      return b;
    };
    button("Accept (a)", "apply the suggested fix", () => decide([g], "accept", fix));
    button("Reject (x)", "keep the text as it is", () => decide([g], "reject", null));
    button("Edit (e)", "write your own correction", () => edit(g));
    const same = alike(g);
    if (same.length > 1) button(`Accept all ${same.length} like this`, "every finding with this code, text and fix", () => decide(same, "accept", fix));
    if (d) button("Undo", "forget the decision", () => decide([g], null, null));
    box.appendChild(actions);
  }
  function edit(g) {
    const box = document.getElementById("inspector-body");
    const d = decision(g);
    const input = document.createElement("input");
    input.className = "edit";
    input.setAttribute("aria-label", "your correction");
    input.value = d && d.text !== null ? d.text : str(F[g][9]) || "";
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { decide([g], "edit", input.value); e.preventDefault(); }
      else if (e.key === "Escape") { select(g, false); e.preventDefault(); e.stopPropagation(); }
    });
    box.appendChild(input);
    input.focus();
  }

  function select(g, scroll = true) {
    document.querySelectorAll(".current").forEach((e) => e.classList.remove("current"));
    current = g;
    const panel = document.getElementById("inspector");
    if (g < 0) {
      panel.hidden = true;
      position();
      return;
    }
    const m = firstMark[g];
    if (m) {
      m.classList.add("current");
      if (scroll) m.scrollIntoView({ block: "center" });
    }
    const li = document.querySelector(`details.findings li[data-g="${g}"]`);
    if (li) li.classList.add("current");
    const body = document.getElementById("inspector-body");
    body.replaceChildren();
    describe(g, body);
    panel.hidden = false;
    position();
  }

  function step(dir) {
    if (!order.length) return;
    let k = order.indexOf(current);
    if (k < 0) {
      // from wherever the reader is: the first finding after (or before) the current scroll position
      const y = window.scrollY + window.innerHeight / 2;
      k = dir > 0 ? -1 : order.length;
      for (let i = 0; i < order.length; i++) {
        const top = firstMark[order[i]].getBoundingClientRect().top + window.scrollY;
        if (top >= y) { k = dir > 0 ? i - 1 : i; break; }
      }
    }
    k = Math.min(order.length - 1, Math.max(0, k + dir));
    select(order[k]);
  }

  function fillList(det) {
    if (det.dataset.filled) return;
    det.dataset.filled = "1";
    const doc = Number(det.dataset.doc);
    const ol = det.querySelector("ol");
    for (let g = 0; g < F.length; g++) {
      if (F[g][0] !== doc) continue;
      const f = F[g];
      const li = document.createElement("li");
      li.dataset.g = String(g);
      codeAndSeverity(li, f);
      add(li, "q", str(f[7]));
      li.append(document.createTextNode(" " + (str(f[8]) || "")));
      const fix = str(f[9]);
      if (fix !== null) {
        const s = document.createElement("span");
        s.className = "fix";
        s.textContent = " → " + (fix === "" ? "remove" : fix) + (f[10] ? " (safe)" : "");
        li.append(s);
      }
      li.classList.toggle("hidden", !visible(g));
      li.addEventListener("click", () => select(g));
      ol.appendChild(li);
    }
  }

  const docChars = new Map();
  function chars(doc) {
    // the text as the page holds it, by code point (the findings' and sentences' offsets count those)
    if (!docChars.has(doc)) {
      const el = document.querySelector(`#doc-${doc} .text`);
      docChars.set(doc, el ? Array.from(el.textContent) : []);
    }
    return docChars.get(doc);
  }
  const cell = (tr, text, cls) => add(tr, "td", text, cls);
  const byDoc = new Map(); // document -> its findings' ids
  F.forEach((f, g) => { if (!byDoc.has(f[0])) byDoc.set(f[0], []); byDoc.get(f[0]).push(g); });
  const fold = (t) => t.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  function sentenceCell(tr, doc, cs, spans, ids, anchors) {
    // the row's sentences with the findings inside them highlighted (text nodes only), and in
    // the other version's cell the words that anchor them (a misspelt name's right spelling)
    const td = document.createElement("td");
    ids.forEach((i, k) => {
      if (k) td.append(document.createTextNode(" "));
      const [s0, e0] = spans[i];
      const inside = (byDoc.get(doc) || []).filter((g) => F[g][5] < e0 && F[g][6] > s0 && F[g][5] < F[g][6] && F[g][2] < 3);
      const cuts = [];
      let pos = s0;
      for (const g of inside.sort((x, y) => F[x][5] - F[y][5])) {
        const fs = Math.max(F[g][5], s0), fe = Math.min(F[g][6], e0);
        if (fs < pos) continue;
        cuts.push([pos, fs, null], [fs, fe, g]);
        pos = fe;
      }
      cuts.push([pos, e0, null]);
      for (const [x, y, g] of cuts) {
        if (y <= x) continue;
        const piece = cs.slice(x, y).join("");
        if (g === null) { anchorText(td, piece, anchors); continue; }
        const m = add(td, "mark", piece, `f f${F[g][1]} s${F[g][2]}`);
        m.dataset.g = String(g);
      }
    });
    tr.appendChild(td);
    return td;
  }
  function anchorText(td, piece, anchors) {
    const low = fold(piece);
    let best = null;
    for (const a of anchors) {
      const at = low.indexOf(a);
      if (at >= 0 && (best === null || at < best[0])) best = [at, a.length];
    }
    if (best === null || low.length !== piece.length) { td.append(document.createTextNode(piece)); return; }
    td.append(document.createTextNode(piece.slice(0, best[0])));
    add(td, "mark", piece.slice(best[0], best[0] + best[1]), "anchor").title = "what the other version's highlight rests on";
    anchorText(td, piece.slice(best[0] + best[1]), anchors);
  }
  function anchorsOf(doc, cs, spans, ids) {
    const out = new Set();
    for (const i of ids) {
      const [s0, e0] = spans[i];
      for (const g of byDoc.get(doc) || []) {
        if (F[g][5] >= e0 || F[g][6] <= s0 || F[g][2] >= 3) continue;
        for (const t of [str(F[g][9]), str(F[g][7])]) if (t && t.trim().length >= 3) out.add(fold(t.trim()));
      }
    }
    return Array.from(out);
  }
  function fillPairs(det) {
    if (det.dataset.filled) return;
    det.dataset.filled = "1";
    const [a, b, sa, sb, rows] = data.pairs[Number(det.dataset.pair)];
    const ca = chars(a), cb = chars(b);
    const tbody = det.querySelector("tbody");
    for (const [ia, ib, kind, metric, value] of rows) {
      const tr = document.createElement("tr");
      if (!ia.length || !ib.length) tr.className = "lone";
      const left = sentenceCell(tr, a, ca, sa, ia, anchorsOf(b, cb, sb, ib));
      // plain words for editors; the metric itself (chrF, cosine) in the cell's tooltip
      const plain = metric === "cos" ? `meaning ${Math.round(value * 100)}%` : metric === "chrF" ? `wording ${Math.round(value)}%` : "";
      const td = cell(tr, metric ? plain : ia.length ? "only here" : "only there", "score");
      if (metric) td.title = `${metric} ${value}`;
      const small = document.createElement("small");
      small.textContent = str(kind);
      td.append(document.createElement("br"), small);
      const right = sentenceCell(tr, b, cb, sb, ib, anchorsOf(a, ca, sa, ia));
      if (left.querySelector("mark.f") || right.querySelector("mark.f")) tr.classList.add("flagged");
      tbody.appendChild(tr);
    }
  }
  document.querySelectorAll("details.aligned[data-pair]").forEach((det) => {
    if (det.open) fillPairs(det);
    det.addEventListener("toggle", () => { if (det.open) fillPairs(det); });
  });
  document.querySelectorAll("details.findings").forEach((det) => {
    det.addEventListener("toggle", () => { if (det.open) fillList(det); });
  });
  document.addEventListener("click", (e) => {
    const m = e.target.closest && e.target.closest("mark.f");
    if (!m || m.classList.contains("off")) return;
    if (m.dataset.g !== undefined) { select(Number(m.dataset.g), false); return; } // in an aligned pair
    const g = markIds[marks.indexOf(m)].find(visible);
    if (g !== undefined) select(g);
  });
  document.querySelectorAll("#fam-filters input").forEach((box) => {
    box.addEventListener("change", () => { famOn[Number(box.dataset.fam)] = box.checked; apply(); });
  });
  document.querySelectorAll("#fam-filters button.only").forEach((btn) => {
    btn.addEventListener("click", () => {
      const k = Number(btn.dataset.famIndex);
      famOn.forEach((_, i) => { famOn[i] = i === k; });
      document.querySelectorAll("#fam-filters input").forEach((box) => { box.checked = Number(box.dataset.fam) === k; });
      apply();
    });
  });
  document.querySelectorAll("#sev-filters input").forEach((box) => {
    box.addEventListener("change", () => { sevOn[Number(box.dataset.sev)] = box.checked; apply(); });
  });
  const sel = document.getElementById("cluster-filter");
  sel.addEventListener("change", () => { clusterFilter = sel.value; apply(); });
  document.getElementById("reset").addEventListener("click", () => {
    famOn.fill(true);
    sevOn.fill(true);
    clusterFilter = "";
    sel.value = "";
    document.querySelectorAll(".toolbar input[type=checkbox]").forEach((b) => { b.checked = true; });
    apply();
  });
  document.getElementById("next").addEventListener("click", () => step(1));
  document.getElementById("prev").addEventListener("click", () => step(-1));
  document.getElementById("close").addEventListener("click", () => select(-1));
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.tagName === "SELECT" || t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && t.type !== "checkbox"))) return;
    if (e.key === "j" || e.key === "n") { step(1); e.preventDefault(); }
    else if (e.key === "k" || e.key === "p") { step(-1); e.preventDefault(); }
    else if (e.key === "Escape") select(-1);
    else if (current >= 0 && str(F[current][9]) !== null && (e.key === "a" || e.key === "x" || e.key === "e")) {
      if (e.key === "a") decide([current], "accept", str(F[current][9]));
      else if (e.key === "x") decide([current], "reject", null);
      else edit(current);
      e.preventDefault();
    }
  });
  document.querySelectorAll("button.download").forEach((b) => {
    b.addEventListener("click", () => {
      const doc = Number(b.dataset.doc);
      download(safeName(D[doc][0]), correctedText(doc), "text/plain;charset=utf-8");
    });
  });
  document.getElementById("export").addEventListener("click", exportDecisions);
  const chromeBox = document.getElementById("remove-chrome");
  chromeBox.checked = !!state.remove_chrome;
  chromeBox.addEventListener("change", () => { state.remove_chrome = chromeBox.checked; save(); });
  const langSel = document.getElementById("lang-filter");
  langSel.addEventListener("change", () => { langFilter = langSel.value; apply(); });
  const srcSel = document.getElementById("source-filter");
  if (srcSel) srcSel.addEventListener("change", () => { sourceFilter = srcSel.value; apply(); });
  save();
  apply();
  document.documentElement.dataset.ready = "1";
})();
