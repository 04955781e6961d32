// Staff dashboard helpers: SMS counters (GSM-7 and segments, mirroring handlers/gsm7.py)
// and small live values fetched as JSON. Everything works without this file.
"use strict";

const GSM_BASIC = new Set(Array.from(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"));
const GSM_EXTENSION = new Set(Array.from("\f^{}\\[~]|€"));

function septetsOf(ch) {
  if (GSM_BASIC.has(ch)) return 1;
  if (GSM_EXTENSION.has(ch)) return 2;
  return null;
}

function parts(units, single, part) {
  const total = units.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  if (total <= single) return 1;
  let count = 1, used = 0;
  for (const size of units) {
    if (used + size > part) { count += 1; used = 0; }
    used += size;
  }
  return count;
}

// {gsm7, segments, chars, bad}: what an SMS text costs, like handlers/gsm7.sms_segments.
function smsInfo(text) {
  const chars = Array.from(text);
  const septets = chars.map(septetsOf);
  const bad = [...new Set(chars.filter((c, i) => septets[i] === null))];
  if (bad.length === 0) return { gsm7: true, segments: parts(septets, 160, 153), chars: chars.length, bad };
  const units = chars.map((c) => (c.codePointAt(0) > 0xffff ? 2 : 1));
  return { gsm7: false, segments: parts(units, 70, 67), chars: chars.length, bad };
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

function attachSmsCounter(field) {
  const counter = document.getElementById(field.dataset.smsCounter);
  if (!counter) return;
  const price = parseFloat(field.dataset.price || "0");
  const recipients = () => parseInt(field.dataset.recipients || "0", 10);
  const language = field.dataset.language || "";
  // With the segment count's people per channel and language and each channel's price, a
  // text is priced for the people who get it (their own language, else Swedish), as the
  // preview does (handlers/broadcasts.preview); otherwise every recipient at one price.
  const filled = (code) => {
    const other = document.getElementById("bc-text-" + code);
    return Boolean(other && other.value.trim());
  };
  const cost = (segments) => {
    if (!field.dataset.audience) return segments * price * recipients();
    const audience = JSON.parse(field.dataset.audience);
    let total = 0;
    for (const [kind, languages] of Object.entries(audience.by_language)) {
      const channel = audience.prices[kind] || { price: 0, segmented: false };
      for (const [code, people] of Object.entries(languages)) {
        const gets = filled(code) ? code : "sv";
        if (gets === language) total += people * (channel.segmented ? segments : 1) * channel.price;
      }
    }
    return total;
  };
  const money = (value) => value.toLocaleString(document.documentElement.lang === "sv" ? "sv-SE" : "en-GB",
                                                { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  // The SMS ends with the STOP line and, when an event is chosen, its invitation lines
  // (handlers/broadcasts.sms_ending), as the preview counts them.
  const events = document.getElementById(field.dataset.smsEvent || "");
  const endingKey = "smsEnding" + language.charAt(0).toUpperCase() + language.slice(1);
  const ending = () => {
    const chosen = events && events.value ? events.selectedOptions[0] : null;
    return (chosen && chosen.dataset[endingKey]) || field.dataset.smsFooter || "";
  };
  if (events) events.addEventListener("change", () => update());
  const update = () => {
    const footer = ending();
    const body = field.value.trim();
    // An empty text is sent to no one (its people get the Swedish one): nothing to count.
    const info = body ? smsInfo(footer ? body + "\n" + footer : body)
      : { gsm7: true, segments: 0, chars: 0, bad: [] };
    const template = info.gsm7 ? counter.dataset.textGsm : counter.dataset.textUcs;
    counter.textContent = fill(template, {
      chars: info.chars, segments: info.segments, bad: info.bad.join(" "),
      cost: money(body ? cost(info.segments) : 0),
    });
    counter.classList.toggle("warn", !info.gsm7);
  };
  field.addEventListener("input", update);
  field.addEventListener("jt:recount", update);
  update();
}

// A live number: <output data-live="/staff/api/..." data-from="form-id">: the form's
// fields are sent as the query whenever one changes.
function attachLiveValue(output) {
  const form = document.getElementById(output.dataset.from);
  if (!form) return;
  let timer = null;
  const refresh = async () => {
    const query = new URLSearchParams(new FormData(form));
    // Only the filters go in the address: never the token or the message text.
    for (const key of [...query.keys()]) {
      if (key === "csrf" || key === "name" || key.startsWith("text_")) query.delete(key);
    }
    const response = await fetch(output.dataset.live + "?" + query.toString(), { credentials: "same-origin" });
    if (!response.ok) return;
    const body = await response.json();
    output.textContent = body.text;
    if (output.dataset.feeds) {
      for (const id of output.dataset.feeds.split(" ")) {
        const target = document.getElementById(id);
        // The counter prices SMS segments: it counts the people reached on such a channel.
        if (target) {
          target.dataset.recipients = String(body.segmented ?? body.count);
          if (body.by_language) target.dataset.audience = JSON.stringify({ by_language: body.by_language, prices: body.prices });
          target.dispatchEvent(new Event("jt:recount"));
        }
      }
    }
  };
  form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(refresh, 250); });
  form.addEventListener("change", refresh);
  refresh();
}

// Poll a JSON progress endpoint and show {text, done}; stop when done.
function attachProgress(element) {
  const bar = element.querySelector("progress");
  const label = element.querySelector("[data-progress-text]");
  const tick = async () => {
    const response = await fetch(element.dataset.progress, { credentials: "same-origin" });
    if (!response.ok) return;
    const body = await response.json();
    if (bar) { bar.max = Math.max(body.total, 1); bar.value = body.sent; }
    if (label) label.textContent = body.text;
    if (!body.done) setTimeout(tick, 1000);
  };
  tick();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-sms-counter]").forEach(attachSmsCounter);
  document.querySelectorAll("output[data-live]").forEach(attachLiveValue);
  document.querySelectorAll("[data-progress]").forEach(attachProgress);
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => { if (!window.confirm(form.dataset.confirm)) event.preventDefault(); });
  });
});
