// The sandbox page: renders what the bot sent (Block Kit) and sends what the user does.
// Every interaction goes to the stand-in, which signs it and POSTs it to the bot as Slack would.
"use strict";

const $ = (id) => document.getElementById(id);
const ui = {
  user: localStorage.getItem("sandbox.user") || "",
  conversation: localStorage.getItem("sandbox.conversation") || "",
  lang: localStorage.getItem("sandbox.lang") || "",  // "": the project's language
  strings: {},
  data: null,
  shownVersion: -1,
  shownModal: "",
  shownHome: "",
};

// -- talking to the stand-in ---------------------------------------------------------------
async function post(name, body) {
  const response = await fetch("/sandbox/" + name, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user: ui.user, ...body }),
  });
  const answer = await response.json();
  if (answer.note && answer.note !== "gone") {
    $("composer-note").textContent = t("bot_error").replace("{detail}", answer.note);
  }
  setTimeout(poll, 150);
  return answer;
}

async function poll() {
  if (!ui.lang) return;  // the project's language is still being asked for
  const query = new URLSearchParams({ user: ui.user, lang: ui.lang, conversation: ui.conversation === "home" ? "" : ui.conversation });
  const asked = { user: ui.user, conversation: ui.conversation, lang: ui.lang };
  let data;
  try {
    const response = await fetch("/sandbox/state?" + query, { cache: "no-store" });
    data = await response.json();
  } catch (error) {
    return;
  }
  // An answer to an older question (the user switched since) must not undo the switch.
  if (asked.user !== ui.user || asked.conversation !== ui.conversation || asked.lang !== ui.lang) return;
  ui.data = data;
  ui.user = data.user;
  if (!ui.conversation) ui.conversation = ui.data.conversations[0].id;
  render();
}

async function loadStrings() {
  const response = await fetch("/sandbox/strings?lang=" + encodeURIComponent(ui.lang));
  ui.strings = await response.json();
  document.documentElement.lang = ui.lang === "zh-Hans" ? "zh-Hans" : "en";
  document.querySelectorAll("[data-s]").forEach((el) => { el.textContent = t(el.dataset.s); });
  document.querySelectorAll("[data-s-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.sPlaceholder); });
  document.querySelectorAll("[data-s-label]").forEach((el) => { el.setAttribute("aria-label", t(el.dataset.sLabel)); });
  $("language").setAttribute("aria-label", t("language"));
  for (const button of $("language").querySelectorAll("button")) {
    const active = button.dataset.lang === ui.lang;
    button.setAttribute("aria-pressed", active ? "true" : "false");
    button.textContent = button.lang === "en" ? "English" : "中文";
    if (active) button.textContent += " ✓";
  }
  document.title = t("title");
  $("modal-close").textContent = t("cancel");
  ui.shownVersion = -1;
  ui.shownModal = "";
  ui.shownHome = "";
  if (ui.data) render();
}

function t(key) { return ui.strings[key] || key; }

// -- text -------------------------------------------------------------------------------------
function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

// The emoji shortcodes Slack would draw (the ones the bot uses, and a few common ones).
const EMOJI = {
  red_circle: "🔴", large_orange_circle: "🟠", large_yellow_circle: "🟡", large_green_circle: "🟢",
  large_blue_circle: "🔵", white_circle: "⚪", warning: "⚠️", white_check_mark: "✅", x: "❌",
  bar_chart: "📊", chart_with_upwards_trend: "📈", chart_with_downwards_trend: "📉",
  calendar: "📅", date: "📅", moneybag: "💰", bell: "🔔", memo: "📝", clipboard: "📋",
  rotating_light: "🚨", hourglass: "⌛", star: "⭐", speech_balloon: "💬", lock: "🔒",
  page_facing_up: "📄", inbox_tray: "📥", busts_in_silhouette: "👥", point_right: "👉",
};

function emoji(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] || whole);
}

function nameOf(id) { return (ui.data && ui.data.names[id]) || id; }

// `<#C…>` without a label: Slack shows the channel's name, not its id.
function channelName(id) {
  const found = ui.data && ui.data.conversations.find((c) => c.id === id);
  return found ? found.name.replace(/^#\s*/, "") : id;
}

// Slack shows a time in the reader's own zone, set in their profile; the sandbox's people
// are all in the project's zone, so times are shown there, whatever the browser's zone.
function zoned(extra) {
  return { timeZone: (ui.data && ui.data.timezone) || undefined, ...extra };
}

function dateLocale() { return ui.lang === "zh-Hans" ? "zh-CN" : "en-GB"; }

function formatDate(epoch, format, fallback) {
  const when = new Date(Number(epoch) * 1000);
  if (isNaN(when)) return fallback;
  const locale = dateLocale();
  const date = when.toLocaleDateString(locale, zoned({ year: "numeric", month: "short", day: "numeric" }));
  const time = when.toLocaleTimeString(locale, zoned({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" }));
  const secs = when.toLocaleTimeString(locale, zoned({ hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }));
  return format.replace(/\{date[a-z_]*\}/g, date).replace("{time_secs}", secs).replace("{time}", time);
}

// Slack's mrkdwn, the parts the bot uses (a zero-width space is a word boundary, as in Slack): *bold*, _italic_, ~strike~, `code`, ```pre```,
// > quotes, <@U…> mentions, <#C…|name>, <!date^…|fallback>, <url|text> links.
function mrkdwn(source) {
  let html = esc(source);
  const pres = [];
  html = html.replace(/```([\s\S]*?)```/g, (_, code) => { pres.push(code); return `\u0000${pres.length - 1}\u0000`; });
  html = html.replace(/&lt;(.*?)&gt;/g, (whole, inner) => {
    const [target, label] = inner.split("|");
    if (target.startsWith("@")) return `<span class="mention">@${esc(nameOf(target.slice(1)))}</span>`;
    if (target.startsWith("#")) return `<span class="mention">#${label || esc(channelName(target.slice(1)))}</span>`;
    if (target.startsWith("!date^")) {
      const [, epoch, format] = target.split("^");
      return formatDate(epoch, format, label || "");
    }
    if (target.startsWith("!")) return `<span class="mention">@${target.slice(1)}</span>`;
    if (/^(https?|mailto):/.test(target)) return `<a href="${target}" target="_blank" rel="noopener">${label || target}</a>`;
    return whole;
  });
  html = html.replace(/`([^`\n]+)`/g, "<code>$1</code>");
  html = html.replace(/(^|[\s(>\u200b])\*([^*\n]+)\*(?=$|[\s).,:;!?<\u200b])/g, "$1<b>$2</b>");
  html = html.replace(/(^|[\s(>\u200b])_([^_\n]+)_(?=$|[\s).,:;!?<\u200b])/g, "$1<i>$2</i>");
  html = html.replace(/(^|[\s(>\u200b])~([^~\n]+)~(?=$|[\s).,:;!?<\u200b])/g, "$1<s>$2</s>");
  html = html.replace(/^&gt; ?(.*)$/gm, "<blockquote>$1</blockquote>");
  html = emoji(html).replace(/\n/g, "<br>");
  return html.replace(/\u0000(\d+)\u0000/g, (_, i) => `<pre>${pres[Number(i)]}</pre>`);
}

function textOf(object) {
  if (!object) return "";
  if (typeof object === "string") return esc(object);
  return object.type === "mrkdwn" ? mrkdwn(object.text) : emoji(esc(object.text));
}

function plain(object) { return object ? (typeof object === "string" ? object : object.text) : ""; }

function el(tag, attrs = {}, html) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value; else node.setAttribute(key, value === true ? "" : value);
  }
  if (html !== undefined) node.innerHTML = html;
  return node;
}

// -- Block Kit ---------------------------------------------------------------------------------
// `where` says where an interaction came from: {channel, message_ts} or {view_id}.
function renderBlocks(blocks, where) {
  const box = el("div", { class: "blocks" });
  for (const block of blocks || []) {
    const node = renderBlock(block, where);
    if (node) box.appendChild(node);
  }
  return box;
}

function renderBlock(block, where) {
  const node = el("div", { class: "block block-" + block.type, "data-block-id": block.block_id });
  switch (block.type) {
    case "header":
      node.innerHTML = esc(plain(block.text));
      return node;
    case "divider":
      return el("hr", { class: "divider" });
    case "context":
      node.classList.add("context");
      for (const item of block.elements || []) {
        if (item.type === "image") node.appendChild(el("img", { src: item.image_url, alt: item.alt_text }));
        else node.appendChild(el("span", {}, textOf(item)));
      }
      return node;
    case "image": {
      if (block.title) node.appendChild(el("div", {}, esc(plain(block.title))));
      const src = block.image_url || (block.slack_file && "/sandbox/files/" + block.slack_file.id);
      node.appendChild(el("img", { class: "image", src, alt: block.alt_text }));
      return node;
    }
    case "section": {
      node.classList.add("section");
      const text = el("div", { class: "text" }, textOf(block.text));
      if (block.fields) {
        const grid = el("div", { class: "fields" });
        for (const field of block.fields) grid.appendChild(el("div", {}, textOf(field)));
        text.appendChild(grid);
      }
      node.appendChild(text);
      if (block.accessory) node.appendChild(renderElement(block.accessory, block, where));
      return node;
    }
    case "actions":
      node.classList.add("actions");
      for (const element of block.elements || []) node.appendChild(renderElement(element, block, where));
      return node;
    case "input":
      return renderInput(block, where);
    case "rich_text":
      node.textContent = JSON.stringify(block.elements).slice(0, 200);
      return node;
    case "data_visualization":
      return renderChart(block, node);
    case "data_table":
      return renderTable(block, node);
    default:
      return node;
  }
}

// Slack's native chart, drawn as one bar list per series; values compact as Slack's axes read
// them (1.8亿 / 180M), the exact number as sent on hover.
function renderChart(block, node) {
  node.appendChild(el("div", { class: "chart-title" }, esc(block.title)));
  const chart = block.chart || {};
  const series = chart.type === "pie" ? [{ name: "", data: chart.segments || [] }] : chart.series || [];
  const top = Math.max(1e-9, ...series.flatMap((s) => (s.data || []).map((p) => Math.abs(Number(p.value) || 0))));
  for (const one of series) {
    if (one.name) node.appendChild(el("div", { class: "chart-series" }, esc(one.name)));
    for (const point of one.data || []) {
      const row = el("div", { class: "chart-row" });
      row.appendChild(el("span", { class: "chart-label" }, esc(point.label)));
      row.appendChild(el("span", { class: "chart-bar", style: `width:${(60 * Math.abs(Number(point.value) || 0)) / top}%` }));
      const value = Number(point.value);
      const compact = new Intl.NumberFormat(dateLocale(), { notation: "compact", maximumFractionDigits: 2 });
      row.appendChild(el("span", { class: "chart-value", title: value.toLocaleString() }, esc(compact.format(value))));
      node.appendChild(row);
    }
  }
  return node;
}

function renderTable(block, node) {
  const table = el("table", { class: "data-table" });
  if (block.caption) table.appendChild(el("caption", {}, esc(block.caption)));
  (block.rows || []).forEach((row, i) => {
    const tr = el("tr");
    for (const cell of row) tr.appendChild(el(i ? "td" : "th", {}, esc(cell.text ?? JSON.stringify(cell.elements || ""))));
    table.appendChild(tr);
  });
  node.appendChild(table);
  return node;
}

function optionsOf(element) {
  const options = [...(element.options || [])];
  for (const group of element.option_groups || []) options.push(...group.options);
  return options;
}

function selectNode(element, { multiple = false, users = false, channels = false } = {}) {
  const select = el("select", { multiple, "data-action-id": element.action_id });
  if (!multiple) select.appendChild(el("option", { value: "" }, esc(plain(element.placeholder) || t("select_placeholder"))));
  let choices;
  if (users) choices = ui.data.people.map((p) => ({ value: p.id, text: `${p.name} (${p.role})` }));
  else if (channels) choices = ui.data.conversations.map((c) => ({ value: c.id, text: c.name }));
  else choices = optionsOf(element).map((o) => ({ value: o.value, text: plain(o.text) }));
  const initial = new Set([
    element.initial_option && element.initial_option.value,
    ...(element.initial_options || []).map((o) => o.value),
    element.initial_user, ...(element.initial_users || []),
    element.initial_conversation, element.initial_channel,
    ...(element.initial_conversations || []), ...(element.initial_channels || []),
  ].filter(Boolean));
  for (const choice of choices) {
    select.appendChild(el("option", { value: choice.value, selected: initial.has(choice.value) }, esc(choice.text)));
  }
  return select;
}

// An interactive element outside an input block: it sends `block_actions` when used.
function renderElement(element, block, where) {
  const send = (action) => {
    const body = { action: { action_id: element.action_id, block_id: block.block_id, type: element.type, ...action }, ...where };
    if (where.view_id) body.state = collectState();
    post("action", body);
  };
  const confirmed = () => !element.confirm || window.confirm(plain(element.confirm.title) + "\n\n" + plain(element.confirm.text));
  switch (element.type) {
    case "button": {
      const button = el("button", { type: "button", class: "btn " + (element.style || ""), "data-action-id": element.action_id }, esc(plain(element.text)));
      button.addEventListener("click", () => {
        if (confirmed()) send({ value: element.value, text: element.text });
        if (element.url) window.open(element.url, "_blank", "noopener");
      });
      return button;
    }
    case "image":
      return el("img", { src: element.image_url, alt: element.alt_text, width: 64 });
    case "static_select":
    case "overflow":
    case "users_select":
    case "conversations_select":
    case "channels_select": {
      const select = selectNode(element, { users: element.type === "users_select", channels: /conversations|channels/.test(element.type) });
      select.addEventListener("change", () => {
        if (!select.value || !confirmed()) return;
        if (element.type === "users_select") send({ selected_user: select.value });
        else if (element.type === "conversations_select") send({ selected_conversation: select.value });
        else if (element.type === "channels_select") send({ selected_channel: select.value });
        else send({ selected_option: { value: select.value, text: { type: "plain_text", text: select.selectedOptions[0].text } } });
      });
      return select;
    }
    case "datepicker": {
      const input = el("input", { type: "date", value: element.initial_date });
      input.addEventListener("change", () => send({ selected_date: input.value }));
      return input;
    }
    default:
      return el("span", {}, esc(element.type));
  }
}

// -- modals ------------------------------------------------------------------------------------
function renderInput(block) {
  const element = block.element;
  const node = el("div", { class: "input-block", "data-block-id": block.block_id, "data-type": element.type, "data-optional": block.optional ? "1" : "" });
  const id = "in-" + block.block_id;
  const label = el("label", { for: id }, esc(plain(block.label)) + (block.optional ? ` <span class="optional">${esc(t("optional"))}</span>` : ""));
  node.appendChild(label);
  let field;
  switch (element.type) {
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
      field = element.multiline ? el("textarea", { rows: 4 }) : el("input", { type: "text" });
      field.value = element.initial_value || "";
      break;
    case "number_input":
      field = el("input", { type: "number", step: element.is_decimal_allowed ? "any" : "1", min: element.min_value, max: element.max_value });
      field.value = element.initial_value || "";
      break;
    case "static_select":
    case "multi_static_select":
      field = selectNode(element, { multiple: element.type.startsWith("multi") });
      break;
    case "users_select":
    case "multi_users_select":
      field = selectNode(element, { multiple: element.type.startsWith("multi"), users: true });
      break;
    case "conversations_select":
    case "channels_select":
    case "multi_conversations_select":
    case "multi_channels_select":
      field = selectNode(element, { multiple: element.type.startsWith("multi"), channels: true });
      break;
    case "file_input": {
      // Slack uploads the picked file at once; the submission carries its file object.
      const accept = (element.filetypes || []).map((x) => "." + x).join(",");
      field = el("input", { type: "file", accept });
      field.addEventListener("change", async () => {
        delete node.dataset.file;
        const picked = field.files[0];
        if (!picked) return;
        const bytes = new Uint8Array(await picked.arrayBuffer());
        let binary = "";
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        const response = await fetch("/sandbox/upload", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ user: ui.user, name: picked.name, content_base64: btoa(binary) }),
        });
        const answer = await response.json();
        if (answer.ok) node.dataset.file = JSON.stringify(answer.file);
      });
      break;
    }
    case "datepicker":
      field = el("input", { type: "date", value: element.initial_date });
      break;
    case "timepicker":
      field = el("input", { type: "time", value: element.initial_time });
      break;
    case "checkboxes":
    case "radio_buttons": {
      field = el("div", { role: element.type === "radio_buttons" ? "radiogroup" : "group" });
      const initial = new Set([element.initial_option && element.initial_option.value, ...(element.initial_options || []).map((o) => o.value)]);
      for (const option of element.options || []) {
        const choice = el("label", { class: "choice" });
        const box = el("input", { type: element.type === "checkboxes" ? "checkbox" : "radio", name: id, value: option.value, checked: initial.has(option.value) });
        box.dataset.text = plain(option.text);
        choice.append(box, " ", plain(option.text));
        field.appendChild(choice);
      }
      break;
    }
    default:
      field = el("span", {}, esc(element.type));
  }
  field.id = id;
  if (element.placeholder && "placeholder" in field) field.placeholder = plain(element.placeholder);
  node.appendChild(field);
  if (block.hint) node.appendChild(el("div", { class: "field-hint" }, esc(plain(block.hint))));
  node.appendChild(el("div", { class: "field-error", role: "alert" }));
  return node;
}

// The modal's `state.values`, shaped as Slack sends them.
function collectState() {
  const values = {};
  for (const node of document.querySelectorAll("#modal-body .input-block")) {
    const blockId = node.dataset.blockId;
    const type = node.dataset.type;
    const block = ui.data.modal.blocks.find((b) => b.block_id === blockId);
    const field = node.querySelector("#" + CSS.escape("in-" + blockId));
    const state = { type };
    const chosen = field.tagName === "SELECT" ? [...field.selectedOptions].filter((o) => o.value) : [];
    const option = (o) => ({ value: o.value, text: { type: "plain_text", text: o.text || o.dataset.text } });
    if (/text_input|number_input/.test(type)) state.value = field.value === "" ? null : field.value;
    else if (type === "static_select") state.selected_option = chosen[0] ? option(chosen[0]) : null;
    else if (type === "multi_static_select") state.selected_options = chosen.map(option);
    else if (type === "users_select") state.selected_user = chosen[0] ? chosen[0].value : null;
    else if (type === "multi_users_select") state.selected_users = chosen.map((o) => o.value);
    else if (type === "conversations_select") state.selected_conversation = chosen[0] ? chosen[0].value : null;
    else if (type === "channels_select") state.selected_channel = chosen[0] ? chosen[0].value : null;
    else if (type === "multi_conversations_select") state.selected_conversations = chosen.map((o) => o.value);
    else if (type === "multi_channels_select") state.selected_channels = chosen.map((o) => o.value);
    else if (type === "datepicker") state.selected_date = field.value || null;
    else if (type === "timepicker") state.selected_time = field.value || null;
    else if (type === "file_input") state.files = node.dataset.file ? [JSON.parse(node.dataset.file)] : [];
    else if (type === "checkboxes") state.selected_options = [...field.querySelectorAll("input:checked")].map(option);
    else if (type === "radio_buttons") {
      const checked = field.querySelector("input:checked");
      state.selected_option = checked ? option(checked) : null;
    }
    values[blockId] = { [block.element.action_id]: state };
  }
  return { values };
}

function isEmpty(state) {
  const value = Object.values(state)[0];
  for (const key of ["value", "selected_option", "selected_user", "selected_date", "selected_time", "selected_conversation", "selected_channel"]) {
    if (key in value) return value[key] === null || value[key] === "";
  }
  for (const key of ["selected_options", "selected_users", "selected_conversations", "selected_channels", "files"]) {
    if (key in value) return value[key].length === 0;
  }
  return false;
}

function showErrors(errors) {
  for (const node of document.querySelectorAll("#modal-body .input-block")) {
    const message = errors[node.dataset.blockId] || "";
    node.querySelector(".field-error").textContent = message;
    node.classList.toggle("has-error", Boolean(message));
  }
}

function renderModal(view) {
  const key = view ? JSON.stringify(view) : "";
  if (key === ui.shownModal) return;
  ui.shownModal = key;
  $("modal-backdrop").hidden = !view;
  if (!view) return;
  $("modal-title").textContent = plain(view.title);
  $("modal-submit").textContent = plain(view.submit) || t("submit");
  $("modal-submit").hidden = !view.submit;
  $("modal-close").textContent = plain(view.close) || t("cancel");
  const body = $("modal-body");
  body.replaceChildren(renderBlocks(view.blocks, { view_id: view.id }));
  const first = body.querySelector("input, select, textarea");
  if (first) first.focus();
}

async function submitModal(event) {
  event.preventDefault();
  const view = ui.data.modal;
  const state = collectState();
  const missing = {};
  for (const node of document.querySelectorAll("#modal-body .input-block")) {
    if (!node.dataset.optional && isEmpty(state.values[node.dataset.blockId])) missing[node.dataset.blockId] = t("required");
  }
  if (Object.keys(missing).length) return showErrors(missing);
  $("modal-submit").disabled = true;
  try {
    const answer = await post("submit", { view_id: view.id, state });
    showErrors(answer.errors || {});
  } finally {
    $("modal-submit").disabled = false;
  }
}

// -- the page ---------------------------------------------------------------------------------
function renderMessage(message) {
  const node = el("div", { class: "message" + (message.ephemeral_to ? " ephemeral" : ""), "data-ts": message.ts, "data-posted-at": message.posted_at || message.ts });
  node.appendChild(el("div", { class: "avatar", "aria-hidden": "true" }, "IC"));
  const body = el("div", { class: "body" });
  const when = new Date(Number(message.posted_at || message.ts) * 1000);
  const time = isNaN(when) ? "" : when.toLocaleTimeString(dateLocale(), zoned({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" }));
  const full = isNaN(when) ? "" : when.toLocaleString(dateLocale(), zoned({ dateStyle: "medium", timeStyle: "short", hourCycle: "h23" }));
  body.appendChild(el("div", {}, `<span class="author">${esc(t("bot"))}</span><span class="app-tag">${esc(t("app"))}</span><time class="time" title="${esc(full)}">${time}</time>`));
  if (message.ephemeral_to) body.appendChild(el("div", { class: "ephemeral-note" }, esc(t("only_visible_to_you"))));
  const where = { channel: ui.conversation, message_ts: message.ts };
  if (message.blocks && message.blocks.length) body.appendChild(renderBlocks(message.blocks, where));
  else if (message.text) body.appendChild(el("div", { class: "block" }, mrkdwn(message.text)));
  for (const file of message.files || []) {
    const src = "/sandbox/files/" + encodeURIComponent(file.id);
    const box = el("div", { class: "block" });
    if (file.image) {  // a tap opens the chart full size, as Slack does
      const full = el("a", { href: src, target: "_blank", rel: "noopener", title: file.title });
      full.appendChild(el("img", { class: "image", src, alt: file.title }));
      box.appendChild(full);
    }
    else box.appendChild(el("a", { class: "file", href: src, download: file.title }, "📄 " + esc(file.title)));
    body.appendChild(box);
  }
  node.appendChild(body);
  return node;
}

// The sandbox's own first message in the project channel: three commands that show the product.
function renderWelcome() {
  const node = el("div", { class: "message welcome", id: "welcome" });
  node.appendChild(el("div", { class: "avatar sandbox", "aria-hidden": "true" }, "✦"));
  const body = el("div", { class: "body" });
  body.appendChild(el("div", {}, `<span class="author">${esc(t("title"))}</span>`));
  body.appendChild(el("div", { class: "block block-header" }, esc(t("welcome_title"))));
  body.appendChild(el("p", { class: "block" }, esc(t("welcome_text"))));
  const list = el("ul", { class: "try-list" });
  for (const { command, what } of ui.strings.welcome_commands || []) {
    const button = el("button", { type: "button", class: "try", "data-command": command, title: t("try") + " " + command }, `<code>${esc(command)}</code><span>${esc(what)}</span>`);
    button.addEventListener("click", () => post("command", { conversation: ui.conversation, text: command }));
    list.appendChild(el("li", {}, "").appendChild(button).parentNode);
  }
  body.appendChild(list);
  body.appendChild(el("p", { class: "block context" }, esc(t("welcome_more"))));
  node.appendChild(body);
  return node;
}

function renderNav() {
  const data = ui.data;
  const select = $("acting-as");
  const peopleKey = JSON.stringify(data.people);
  if (select.dataset.people !== peopleKey) {  // again after a language switch: roles are translated
    select.replaceChildren(...data.people.map((p) => el("option", { value: p.id }, esc(`${p.name} · ${p.role}`))));
    select.dataset.people = peopleKey;
  }
  select.value = data.user;
  const item = (c) => {
    const button = el("button", { type: "button", class: "nav", "aria-current": ui.conversation === c.id ? "true" : "false", "data-conversation": c.id }, esc(c.name));
    button.addEventListener("click", () => choose(c.id));
    return el("li", {}, "").appendChild(button).parentNode;
  };
  $("channels").replaceChildren(...data.conversations.filter((c) => c.kind === "channel").map(item));
  $("dms").replaceChildren(...data.conversations.filter((c) => c.kind === "dm").map(item));
  $("nav-home").setAttribute("aria-current", ui.conversation === "home" ? "true" : "false");
  $("jobs").replaceChildren(...(data.jobs.length ? data.jobs.map((job) => {
    const li = el("li", { class: "job", title: job.describe });
    const run = el("button", { type: "button", "data-job": job.name, "aria-label": t("run_now") + ": " + job.label }, esc(t("run_now")));
    run.addEventListener("click", () => { closeMenu(); post("job", { name: job.name }); });
    li.append(el("span", { class: "job-name" }, esc(job.label)), run);
    return li;
  }) : [el("li", { class: "job" }, esc(t("no_jobs")))]));
  $("job-log").replaceChildren(...data.job_log.map((line) => el("li", {}, esc(line))));
}

function render() {
  const data = ui.data;
  renderNav();
  const home = ui.conversation === "home";
  $("timeline").hidden = home;
  $("composer").hidden = home;
  $("home").hidden = !home;
  const current = data.conversations.find((c) => c.id === ui.conversation);
  $("conversation-title").textContent = home ? t("app_home") : current ? current.name : "";
  if (home) {
    const key = JSON.stringify(data.home || null) + ui.lang;
    if (key !== ui.shownHome) {
      ui.shownHome = key;
      $("home").replaceChildren(data.home ? renderBlocks(data.home.blocks, { view_id: data.home.id }) : el("p", { class: "empty" }, esc(t("empty_home"))));
    }
  } else if (data.version !== ui.shownVersion) {
    const timeline = $("timeline");
    const atBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 80;
    const channel = current && current.kind === "channel";
    const shown = data.messages.map(renderMessage);
    if (channel) shown.unshift(renderWelcome());
    else if (!shown.length) shown.push(el("p", { class: "empty" }, esc(t("empty_channel"))));
    timeline.replaceChildren(...shown);
    if (atBottom || ui.shownVersion === -1) timeline.scrollTop = timeline.scrollHeight;
  }
  ui.shownVersion = data.version;
  renderModal(data.modal);
}

// On a phone the sidebar is a drawer behind the menu button.
function closeMenu() {
  document.body.classList.remove("menu-open");
  $("menu-toggle").setAttribute("aria-expanded", "false");
}

function choose(conversation) {
  closeMenu();
  ui.conversation = conversation;
  localStorage.setItem("sandbox.conversation", conversation);
  ui.shownVersion = -1;
  if (conversation === "home") post("home", {});
  poll();
}

function setUp() {
  $("acting-as").addEventListener("change", (event) => {
    ui.user = event.target.value;
    localStorage.setItem("sandbox.user", ui.user);
    ui.shownVersion = -1;
    ui.shownModal = "";
    if (ui.conversation.startsWith("D")) ui.conversation = "D" + ui.user;
    if (ui.conversation === "home") post("home", {});
    poll();
  });
  for (const button of $("language").querySelectorAll("button")) {
    button.addEventListener("click", () => {
      ui.lang = button.dataset.lang;
      localStorage.setItem("sandbox.lang", ui.lang);
      loadStrings();
    });
  }
  document.querySelector(".layout").addEventListener("click", (event) => {  // a tap beside the open drawer closes it
    if (document.body.classList.contains("menu-open") && !event.target.closest("#sidebar, #menu-toggle")) closeMenu();
  });
  $("menu-toggle").addEventListener("click", () => {
    const open = document.body.classList.toggle("menu-open");
    $("menu-toggle").setAttribute("aria-expanded", open ? "true" : "false");
  });
  $("nav-home").addEventListener("click", () => choose("home"));
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("composer-input");
    const text = input.value.trim();
    $("composer-note").textContent = "";
    if (!text) return;
    if (!text.startsWith("/")) { $("composer-note").textContent = t("only_commands"); return; }
    input.value = "";
    post("command", { conversation: ui.conversation, text });
  });
  $("modal").addEventListener("submit", submitModal);
  const close = () => post("close", { view_id: ui.data.modal.id });
  $("modal-close").addEventListener("click", close);
  $("modal-x").addEventListener("click", close);
  // Without a choice of their own, people read the page in the project's language.
  const language = ui.lang
    ? Promise.resolve()
    : fetch("/sandbox/state", { cache: "no-store" }).then((r) => r.json()).then((data) => { ui.lang = data.project_locale || "en"; });
  language.catch(() => { ui.lang = "en"; }).then(loadStrings).then(poll);
  setInterval(poll, 700);
}

setUp();
