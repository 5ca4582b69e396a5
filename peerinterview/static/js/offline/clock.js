// Time: changes are stamped with the tablet's clock, corrected by the server's clock (a cheap
// tablet's clock may be minutes off, and the plain form posts use the server's time). The stamp
// never goes backwards, so the order of changes on this tablet is kept.

const CLOCK_KEY = "peerinterview.clock";

function clock() {
  try { return JSON.parse(localStorage.getItem(CLOCK_KEY) || "{}"); } catch (e) { return {}; }
}

function keepClock(c) {
  try { localStorage.setItem(CLOCK_KEY, JSON.stringify(c)); } catch (e) { /* private mode */ }
}

// The server's time arrived with a reply: a request sent at t0 and answered at t1.
export function learnClock(serverTime, t0, t1) {
  if (typeof serverTime !== "number") return;
  const c = clock();
  const offset = Math.round(serverTime - (t0 + t1) / 2);
  if (typeof c.offset !== "number" || Math.abs(offset - c.offset) > 1500 + (t1 - t0) / 2) {
    c.offset = offset;
    keepClock(c);
  }
}

export function stamp() {
  const c = clock();
  const now = Date.now() + (typeof c.offset === "number" ? c.offset : 0);
  const t = Math.max(now, (c.last || 0) + 1);
  c.last = t;
  keepClock(c);
  return t;
}
