// Reading the answer on a question page, as the server reads the same form (answer_from_form()
// in interview/forms.py; the encoding is described in interview/encoding.py). One table of cases,
// tests/answer_cases.py, is checked against this function, against answer_from_form() and against
// the sync's check of a decrypted answer, so the three cannot drift apart.

// Invisible control characters (pasted from elsewhere) are refused by the server, as in every
// form (security/input_guard.py): one of them would keep the whole queue from being sent. They
// are left out here; tab and line breaks stay.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;

const withoutControl = (value) => String(value || "").replace(CONTROL, "");

const SPECIAL_PREFIX = "special:";
const specialOf = (value) => (value && value.startsWith(SPECIAL_PREFIX) ? value.slice(SPECIAL_PREFIX.length) : null);

// A typed number as the server takes it: digits with an optional minus sign, within the bounds
// of the field. `invalid` when the server would refuse it.
function readNumber(field, raw, chosenSpecial) {
  const typed = String(raw || "").replace(/\s+/g, "").replace(/^\+/, "");
  if (field.validity && field.validity.badInput) return { invalid: true };
  if (!typed) return { special: chosenSpecial };
  if (!/^-?\d{1,9}$/.test(typed)) return { invalid: true };
  const n = parseInt(typed, 10);
  const low = field.getAttribute("min");
  const high = field.getAttribute("max");
  if ((low !== null && n < Number(low)) || (high !== null && n > Number(high))) return { invalid: true };
  return { value: String(n) };
}

// {value, text, special} (and `note` where the page has a follow-up field). An answer the server
// would refuse (a number out of range or not whole) is marked `invalid`: it is never queued, the
// server's own check shows the message. A real answer and "Weet ik niet" both on the page (the
// page's script clears one when the other is chosen, so only without its events): the real answer
// counts, as on the server when both are new (settle_both in interview/forms.py).
export function readAnswer(form) {
  const fd = new FormData(form);
  const chosenSpecial = specialOf(fd.get("special"));
  let read = {};
  if (form.querySelector('input[type="checkbox"][name="answer"]')) {
    // Multiple choice: the ticked values in the order of the choices, joined by ",".
    const ticked = fd.getAll("answer").filter((v) => v);
    read = ticked.length ? { value: ticked.join(",") } : { special: chosenSpecial };
  } else if (form.querySelector('[name="answer"]')) {
    const chosen = fd.get("answer");
    read = chosen && chosen.startsWith(SPECIAL_PREFIX) ? { special: specialOf(chosen) } : { value: chosen || null };
  } else if (form.querySelector('[name="number"]')) {
    read = readNumber(form.querySelector('[name="number"]'), fd.get("number"), chosenSpecial);
  } else if (form.querySelector('[name="text"]')) {
    const typed = withoutControl(fd.get("text")).trim() || null;
    read = typed ? { text: typed } : { special: chosenSpecial };
  }
  const answer = { value: read.value || null, text: read.text || null, special: read.special || null };
  if (form.querySelector('[name="note"]')) answer.note = withoutControl(fd.get("note")).trim() || null;
  if (read.invalid) answer.invalid = true;
  return answer;
}
