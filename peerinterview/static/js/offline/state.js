// The state of the offline code on this page, in one object so every part can see what the
// others know. `init()` in main.js resets what belongs to one page (a boosted link swaps the body,
// the script stays).

export const state = {
  // Known across pages
  count: null,         // answers in the queue (all interviews), null until read
  recordings: 0,       // recordings waiting in the queue (all interviews), as encrypted chunks
  flushing: null,      // the running flush (a promise), null when none runs
  again: false,        // something was queued during a flush: flush once more after it
  backoff: 0,          // the current wait before the next try (ms)
  timer: null,         // the timer of the next try
  problem: null,       // why the last try did not get through: null, "login" or "rejected"

  // Known for the page that is open now
  page: 0,             // counts pages opened: a promise from an earlier page can tell it is late
  key: null,           // the project's public key: {id, alg, cryptoKey, url}
  keyReady: null,      // a promise of that key (null on pages without one)
  csrf: null,          // the CSRF token of the current login (comes with the key)
  queuedHere: {},      // question id -> true: answers of this interview that wait in the queue
  hadQueued: false,    // this question (on the overview: this interview) had an answer waiting when the page opened
  touched: false,      // the answer on this page was changed here
  last: null,          // JSON of the answer last recorded on this page (in memory only)
  lastItem: null,      // the queue id of the answer last recorded on this page
  waiting: false,      // that answer waits for the server's "stored"
  acked: null,         // the queue id of this page's answer that the server acknowledged last
  newer: null,         // the stored answer (in words) that this page's last answer lost to
  refusedHere: null,   // "late" or "gone": this page's last answer was not stored
  notices: {},         // what the server did not store, for the banner: {gone: true, late: n,
                       // recordingRefused: why ("too-large", "no-consent", "not-speakable", "other")}
  message: null,       // an extra message in the banner (logging out or finishing must wait)
  pinged: false,       // an offline copy asked the server once whether it is back
};
