// The live view's page script: no build step, no framework. It listens to /api/events (a full
// `snapshot`, then `update`s with the sections that changed), redraws those sections, counts the
// leases' time down between updates, and asks /api/entries and /api/job on demand.
/* global mermaid */

const view = { meta: undefined, leases: undefined, entries: undefined, machines: undefined };
let receivedAt = performance.now();
let selectedStatus; // { cache, status }
let shownJob; // { cache, key }

const $ = (selector) => document.querySelector(selector);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  if (className !== undefined) node.className = className;
  return node;
}

function showProblem(message) {
  const problem = $("#problem");
  problem.textContent = message ?? "";
  problem.hidden = message === undefined;
}

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `${path}: HTTP ${response.status}`);
  return body;
}

function timeLeft(deadline) {
  const ms = deadline - performance.now();
  return ms > 0 ? `${(ms / 1000).toFixed(1)} s` : `expired ${(-ms / 1000).toFixed(1)} s ago`;
}

function tick() {
  for (const cell of document.querySelectorAll("td.time-left")) {
    cell.textContent = timeLeft(Number(cell.dataset.deadline));
  }
}

function renderMeta() {
  const { meta } = view;
  $("#source").textContent =
    meta.cacheName === null ? meta.source : `${meta.source} · cache ${meta.cacheName}`;
  $("#revoke-mode").textContent = {
    "read-only": "Read-only view: start it with jobcache ui --allow-revoke to revoke leases.",
    unavailable: "Revoke is unavailable: this store has no revoke method.",
    enabled: "Revoke is on: a revoked lease ends at once; its holder's next renewal or write fails.",
  }[meta.revoke];
}

async function revoke(lease, button) {
  button.disabled = true;
  try {
    const response = await fetch("/api/revoke", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cacheName: lease.cacheName, key: lease.key }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error);
    showProblem(undefined);
  } catch (error) {
    showProblem(`revoke ${lease.key}: ${error.message}`);
    button.disabled = false;
  }
}

// Rows are kept by key and redrawn only when their content changed, so a row under the pointer
// stays the same element between updates (a click would be lost if it were replaced).
function syncRows(body, items, keyOf, fill) {
  const existing = new Map([...body.children].map((row) => [row.dataset.id, row]));
  items.forEach((item, index) => {
    const id = keyOf(item);
    let row = existing.get(id);
    existing.delete(id);
    if (row === undefined) {
      row = element("tr", undefined, "clickable");
      row.dataset.id = id;
    }
    fill(row, item);
    if (body.children[index] !== row) body.insertBefore(row, body.children[index] ?? null);
  });
  for (const row of existing.values()) row.remove();
}

/** Replaces a row's cells when what they show changed. */
function redraw(row, signature, cells) {
  if (row.dataset.signature === signature) return;
  row.dataset.signature = signature;
  row.replaceChildren(...cells());
}

function leaseCells(lease) {
  const holder = element("td", lease.holder ?? `ticket ${lease.ticketId.slice(0, 8)}`, "holder");
  holder.title = `ticket ${lease.ticketId}`;
  const state = element("td");
  state.append(element("span", lease.state, `state state-${lease.state}`));
  const action = element("td");
  if (view.meta.revoke === "enabled" && lease.state !== "expired") {
    const button = element("button", "revoke");
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      void revoke(lease, button);
    });
    action.append(button);
  }
  return [
    element("td", lease.cacheName),
    element("td", lease.key, "key"),
    holder,
    state,
    element("td", lease.revision, "num revision"),
    element("td", lease.renewals ?? "–", "num"),
    element("td", "", "time-left num"),
    action,
  ];
}

function renderLeases() {
  const { rows, total } = view.leases;
  syncRows(
    $("#leases tbody"),
    rows,
    (lease) => `${lease.cacheName}/${lease.key}`,
    (row, lease) => {
      const { expiresInMs, ...shown } = lease;
      redraw(row, JSON.stringify(shown), () => leaseCells(lease));
      row.dataset.cache = lease.cacheName;
      row.dataset.key = lease.key;
      row.dataset.state = lease.state;
      row.dataset.revision = String(lease.revision);
      row.querySelector("td.time-left").dataset.deadline = String(receivedAt + expiresInMs);
      row.onclick = () => void showJob(lease.cacheName, lease.key);
    },
  );
  $("#no-leases").hidden = rows.length > 0;
  $("#lease-total").textContent = total > rows.length ? `${rows.length} of ${total} shown` : `${total}`;
  tick();
}

function renderCounts() {
  syncRows(
    $("#counts tbody"),
    view.entries,
    (count) => `${count.cacheName}/${count.status}`,
    (row, count) => {
      redraw(row, String(count.count), () => [
        element("td", count.cacheName),
        element("td", count.status),
        element("td", count.count, "num"),
      ]);
      row.dataset.cache = count.cacheName;
      row.dataset.status = count.status;
      row.classList.toggle(
        "selected",
        selectedStatus?.cache === count.cacheName && selectedStatus.status === count.status,
      );
      row.onclick = () => void showStatus(count.cacheName, count.status);
    },
  );
  $("#no-entries").hidden = view.entries.length > 0;
}

async function showStatus(cache, status) {
  selectedStatus = { cache, status };
  renderCounts();
  try {
    const query = new URLSearchParams({ cache, status });
    const result = await getJson(`/api/entries?${query}`);
    $("#status-title").textContent =
      `${status} in ${cache} (oldest first${result.entries.length === result.limit ? `, first ${result.limit}` : ""})`;
    syncRows(
      $("#entries tbody"),
      result.entries,
      (entry) => entry.key,
      (row, entry) => {
        redraw(row, String(entry.revision), () => [
          element("td", entry.key, "key"),
          element("td", entry.revision, "num"),
        ]);
        row.dataset.key = entry.key;
        row.onclick = () => void showJob(cache, entry.key);
      },
    );
    $("#status-entries").hidden = false;
  } catch (error) {
    showProblem(error.message);
  }
}

async function showJob(cache, key) {
  shownJob = { cache, key };
  const form = $("#job-form");
  form.elements.cache.value = cache;
  form.elements.key.value = key;
  try {
    const job = await getJson(`/api/job?${new URLSearchParams({ cache, key })}`);
    const facts = $("#job-facts");
    facts.replaceChildren();
    const fact = (name, value) => facts.append(element("dt", name), element("dd", value));
    fact("job", `${job.cacheName} / ${job.key}`);
    if (job.entry === undefined) fact("entry", "none (never created, or deleted)");
    else {
      fact("revision", job.entry.revision);
      fact("status", job.entry.status);
    }
    if (job.lease === undefined) fact("lease", "none");
    else {
      fact("lease", `${job.lease.state}, revision ${job.lease.revision}, expires ${job.lease.expiry}`);
      fact("holder", job.lease.holder ?? `ticket ${job.lease.ticketId}`);
      fact("granted", job.lease.grantTime);
      fact("last heartbeat", job.lease.heartbeatTime);
    }
    $("#job-value").textContent = job.entry === undefined ? "" : JSON.stringify(job.entry.value, null, 2);
    $("#job").hidden = false;
  } catch (error) {
    showProblem(error.message);
  }
}

// Mermaid lays a chart out in 0.2-2 s of main thread, and the counts may change on every update:
// one render at a time, only of the newest text, with a pause between renders so the page stays
// responsive while a busy run changes the counts several times a second.
const REDRAW_PAUSE_MS = 500;
const charts = { ticket: { text: undefined, drawn: undefined }, job: { text: undefined, drawn: undefined } };
let drawing = false;
let renderCount = 0;

async function drawCharts() {
  if (drawing) return;
  drawing = true;
  try {
    for (;;) {
      const name = Object.keys(charts).find((chart) => charts[chart].text !== charts[chart].drawn);
      if (name === undefined) return;
      const { text } = charts[name];
      charts[name].drawn = text;
      try {
        const { svg } = await mermaid.render(`chart-${name}-${++renderCount}`, text);
        $(`#machine-${name}`).innerHTML = svg;
      } catch (error) {
        showProblem(`drawing the ${name} statechart: ${error.message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, REDRAW_PAUSE_MS));
    }
  } finally {
    drawing = false;
  }
}

function renderMachines() {
  charts.ticket.text = view.machines.ticket.mermaid;
  charts.job.text = view.machines.job.mermaid;
  void drawCharts();
  const other = Object.entries(view.machines.job.other);
  $("#job-other").hidden = other.length === 0;
  $("#job-other").textContent =
    `Statuses outside TRAC's job lifecycle: ${other.map(([s, n]) => `${s} ${n}`).join(", ")}`;
}

function apply(sections) {
  if (sections.leases !== undefined) {
    view.leases = sections.leases;
    receivedAt = performance.now();
    renderLeases();
  }
  if (sections.entries !== undefined) {
    view.entries = sections.entries;
    renderCounts();
    if (selectedStatus !== undefined) void showStatus(selectedStatus.cache, selectedStatus.status);
  }
  if (sections.machines !== undefined) {
    view.machines = sections.machines;
    renderMachines();
  }
  if (shownJob !== undefined && (sections.leases !== undefined || sections.entries !== undefined)) {
    void showJob(shownJob.cache, shownJob.key);
  }
}

function connect() {
  const events = new EventSource("/api/events");
  const connection = $("#connection");
  events.addEventListener("snapshot", (event) => {
    const snapshot = JSON.parse(event.data);
    view.meta = { source: snapshot.source, cacheName: snapshot.cacheName, revoke: snapshot.revoke };
    renderMeta();
    apply(snapshot);
    showProblem(undefined);
    connection.dataset.state = "live";
    connection.textContent = "live";
  });
  events.addEventListener("update", (event) => apply(JSON.parse(event.data)));
  events.addEventListener("problem", (event) =>
    showProblem(`reading the store: ${JSON.parse(event.data).message}`),
  );
  events.addEventListener("error", () => {
    connection.dataset.state = "lost";
    connection.textContent = "reconnecting…";
  });
}

mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" });
$("#job-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  void showJob(form.elements.cache.value, form.elements.key.value);
});
setInterval(tick, 250);
connect();
