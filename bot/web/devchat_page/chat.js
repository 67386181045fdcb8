/* The local chat page: talks to the bot exactly as Teams does and shows what Teams would show.

   Sends Teams-shaped activities (channelId msteams, tenant in channelData, one conversation id
   for the page's lifetime, the browser's locale) to the real /api/messages with a serviceUrl that
   points at the server's local connector; the bot's replies come back from that connector as
   server-sent events and are drawn with the official Adaptive Cards renderer.

   Safety: user text and plain bot text only ever reach the page through textContent; markdown
   goes through markdown-it with HTML disabled inside the Adaptive Cards renderer. */
"use strict";

(function () {
  // --- Page texts, Swedish first, English when the browser is English (as the bot does) ------
  const TEXTS = {
    subtitle: {
      sv: "Lokal chatt – visar det Teams skulle visa",
      en: "Local chat – shows what Teams would show",
    },
    placeholder: { sv: "Skriv en fråga, t.ex. ”vem har Sörmland?”", en: "Ask, e.g. “who covers Gothenburg?”" },
    send: { sv: "Skicka", en: "Send" },
    you: { sv: "Du", en: "You" },
    asMyself: { sv: "som mig själv", en: "as myself" },
    asPerson: { sv: "som {name}", en: "as {name}" },
    asLabel: {
      sv: "Vem du är i chatten: dig själv, eller någon som får posta för ett län",
      en: "Who you are in the chat: yourself, or someone who may post for a county",
    },
    typing: { sv: "Regiondörren skriver …", en: "Regiondörren is typing …" },
    unreachable: {
      sv: "Boten svarar inte: {url} gick inte att nå. Starta den med ”make run” och skicka igen.",
      en: "The bot is not answering: {url} could not be reached. Start it with “make run” and send again.",
    },
    botError: {
      sv: "Boten tog inte emot meddelandet (HTTP {status}: {detail}). Se serverns logg och försök igen.",
      en: "The bot did not accept the message (HTTP {status}: {detail}). See the server's log and try again.",
    },
    streamLost: {
      sv: "Ingen kontakt med servern – försöker igen …",
      en: "No contact with the server – trying again …",
    },
    streamClosed: {
      sv: "Servern skickar inga svar hit längre. Ladda om sidan när den är igång igen.",
      en: "The server no longer sends replies here. Reload the page once it is running again.",
    },
    noRenderer: {
      sv: "Adaptive Cards-renderaren saknas, så korten visas som text. Kör ”make run” (den installerar den med npm) och ladda om sidan.",
      en: "The Adaptive Cards renderer is missing, so cards are shown as text. Run “make run” (it installs it with npm) and reload the page.",
    },
    cardError: {
      sv: "Kortet kunde inte visas; så här skulle det se ut som text:",
      en: "The card could not be shown; as text it reads:",
    },
    unsupportedAttachment: {
      sv: "Bilagan av typen {type} visas inte på den lokala sidan.",
      en: "Attachments of type {type} are not shown on the local page.",
    },
    unsupportedAction: {
      sv: "Knappen ({type}) fungerar bara i Teams.",
      en: "This button ({type}) works only in Teams.",
    },
    blockedUrl: {
      sv: "Länken öppnades inte: {url} är ingen webb- eller e-postadress.",
      en: "The link was not opened: {url} is not a web or e-mail address.",
    },
    dataStatus: {
      sv: "Data sparad {changed} · {counties} län · laddad {time}",
      en: "Data saved {changed} · {counties} counties · loaded {time}",
    },
    dataProblem: {
      sv: "data/ har ett fel och boten svarar med den förra versionen: {error}. Rätta filen (”make check-data” visar alla fel).",
      en: "data/ has an error and the bot answers from the previous version: {error}. Fix the file (“make check-data” lists every error).",
    },
    noData: {
      sv: "Boten har ingen data att svara med: {error}. Rätta data/ (”make check-data” visar alla fel) och starta om.",
      en: "The bot has no data to answer from: {error}. Fix data/ (“make check-data” lists every error) and restart.",
    },
    otherLanguage: { sv: "In English", en: "På svenska" },
    otherLanguageLabel: {
      sv: "Byt till engelska: en ny chatt där Teams säger att du använder engelska",
      en: "Switch to Swedish: a new chat in which Teams says you use Swedish",
    },
    otherScope: {
      personal: { sv: "Som i en kanal", en: "As in a channel" },
      channel: { sv: "Som i en 1:1-chatt", en: "As in a 1:1 chat" },
    },
    otherScopeLabel: {
      personal: {
        sv: "En ny chatt som i en Teams-kanal: frågorna @nämner boten och svaren hamnar i samma tråd",
        en: "A new chat as in a Teams channel: questions @mention the bot and replies go to the same thread",
      },
      channel: { sv: "En ny 1:1-chatt med boten", en: "A new 1:1 chat with the bot" },
    },
    showJson: { sv: "JSON", en: "JSON" },
    showJsonLabel: { sv: "Visa aktiviteten som Teams får den (JSON)", en: "Show the activity as Teams gets it (JSON)" },
    deleted: { sv: "Meddelandet har tagits bort.", en: "This message has been deleted." },
    previous: { sv: "Föregående kort", en: "Previous card" },
    next: { sv: "Nästa kort", en: "Next card" },
  };
  // A BCP 47 tag such as "sv-SE" or "en-GB"; ?locale= lets an editor check the other language.
  const LOCALE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}$/;
  const PARAMS = new URLSearchParams(location.search);
  const askedLocale = PARAMS.get("locale") || "";
  const LOCALE = LOCALE_TAG.test(askedLocale) ? askedLocale : (navigator.language || "sv-SE");
  const LANGUAGE = LOCALE.toLowerCase().startsWith("en") ? "en" : "sv";
  // ?scope=channel: talk as in a Teams channel, @mentioning the bot in one thread.
  const CHANNEL = "channel";
  const SCOPE = PARAMS.get("scope") === CHANNEL ? CHANNEL : "personal";

  function t(key, values) {
    const entry = TEXTS[key];
    const template = (entry[SCOPE] || entry)[LANGUAGE];
    return template.replace(/\{(\w+)\}/g, (match, name) => (values && name in values ? String(values[name]) : match));
  }

  // --- Who talks to whom: Teams-shaped ids -------------------------------------------------
  const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";
  const MESSAGES_URL = "/api/messages";
  const HEALTH_URL = "/healthz";
  // How often the header re-reads /healthz, so an edit to data/ shows up without a reload.
  const HEALTH_MILLISECONDS = 10000;
  const SERVICE_URL = location.origin + "/devchat/connector/";
  // A fixed, recognisably local tenant: the bot reads the tenant from channelData.tenant.id.
  const TENANT_ID = "6f0b2a3c-1d4e-4f5a-8b6c-7d8e9fa0b1c2";
  const BOT = { id: "28:regiondorren-local", name: "Regiondörren" };
  // Bot typing indicators last this long in Teams unless a message comes first.
  const TYPING_MILLISECONDS = 3000;
  // Teams' attachment layouts (AttachmentLayoutTypes in the SDK).
  const CAROUSEL = "carousel";
  // Links a button may open; anything else (javascript:, data:) is refused.
  const OPENABLE_URL = /^(https?:|mailto:|tel:|msteams:)/i;

  function randomHex(bytes) {
    const values = new Uint8Array(bytes);
    crypto.getRandomValues(values);
    return Array.from(values, (value) => value.toString(16).padStart(2, "0")).join("");
  }

  function storedId(key, make) {
    try {
      const existing = localStorage.getItem(key);
      if (existing) return existing;
      const fresh = make();
      localStorage.setItem(key, fresh);
      return fresh;
    } catch (error) {
      return make(); // storage blocked: a new id per page is fine
    }
  }

  function guid() {
    const hex = randomHex(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  // ?as=<e-mail>: play someone who may post ("som Isabelle Canderskog"); the local connector's
  // member look-up answers with that person. Otherwise the same person on every visit.
  const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,190}$/;
  const PLAYED = EMAIL.test(PARAMS.get("as") || "") ? PARAMS.get("as") : "";
  const USER = PLAYED
    ? { id: "29:devchat-as-" + PLAYED, name: PLAYED, aadObjectId: "00000000-0000-4000-8000-000000000000" }
    : {
      id: storedId("regiondorren.userId", () => "29:local-" + randomHex(16)),
      name: t("you"),
      aadObjectId: storedId("regiondorren.aadObjectId", guid),
    };
  // A new 1:1 conversation for every page.
  // A 1:1 chat's id, or the channel's (the General channel, whose id is also the team's).
  const CONVERSATION_ID = SCOPE === CHANNEL ? `19:local-${randomHex(16)}@thread.tacv2` : "a:local-" + randomHex(16);
  // In a channel the page keeps to one thread: the one its first question starts.
  let threadRoot = null;
  let activityCounter = 0;

  function localTimestamp(now) {
    const offset = -now.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    const pad = (value) => String(Math.floor(Math.abs(value))).padStart(2, "0");
    const local = new Date(now.getTime() + offset * 60000).toISOString().slice(0, -1);
    return `${local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
  }

  function baseActivity(type) {
    const now = new Date();
    const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    activityCounter += 1;
    return {
      type,
      id: `${now.getTime()}${activityCounter}`,
      timestamp: now.toISOString(),
      localTimestamp: localTimestamp(now),
      channelId: "msteams",
      serviceUrl: SERVICE_URL,
      from: { ...USER },
      recipient: { ...BOT },
      conversation: conversationOf(type),
      channelData: channelDataOf(),
      entities: [{ type: "clientInfo", locale: LOCALE, country: LOCALE.split("-").pop(), platform: "Web", timezone }],
      locale: LOCALE,
      localTimezone: timezone,
    };
  }

  function conversationOf(type) {
    if (SCOPE !== CHANNEL) return { conversationType: "personal", tenantId: TENANT_ID, id: CONVERSATION_ID };
    const id = type === "message" && threadRoot ? `${CONVERSATION_ID};messageid=${threadRoot}` : CONVERSATION_ID;
    return { isGroup: true, conversationType: CHANNEL, tenantId: TENANT_ID, id };
  }

  function channelDataOf() {
    if (SCOPE !== CHANNEL) return { tenant: { id: TENANT_ID } };
    return {
      teamsChannelId: CONVERSATION_ID,
      teamsTeamId: CONVERSATION_ID,
      channel: { id: CONVERSATION_ID },
      team: { id: CONVERSATION_ID },
      tenant: { id: TENANT_ID },
    };
  }

  function messageActivity(text) {
    const activity = { ...baseActivity("message"), text, textFormat: "plain" };
    if (SCOPE !== CHANNEL) return activity;
    // In a channel Teams only passes on messages that @mention the bot, as <at>name</at>.
    const mention = `<at>${BOT.name}</at>`;
    if (!threadRoot) {
      threadRoot = activity.id; // a new post starts the thread the bot answers in
      activity.conversation = conversationOf("message");
    }
    activity.text = `${mention} ${text}`;
    activity.entities = [{ type: "mention", mentioned: { ...BOT }, text: mention }, ...activity.entities];
    return activity;
  }

  function welcomeActivity() {
    // What Teams sends when the bot is added: to a 1:1 chat, or to a team (then in its General channel).
    const activity = { ...baseActivity("conversationUpdate"), membersAdded: [{ id: BOT.id }, { id: USER.id }] };
    if (SCOPE === CHANNEL) {
      activity.membersAdded = [{ id: BOT.id }];
      activity.channelData = { ...activity.channelData, eventType: "teamMemberAdded" };
    }
    return activity;
  }

  // --- The page ----------------------------------------------------------------------------
  const log = document.getElementById("log");
  const typingRow = document.getElementById("typing");
  const statusLine = document.getElementById("status");
  const form = document.getElementById("composer");
  const input = document.getElementById("input");
  document.documentElement.lang = LANGUAGE;
  document.getElementById("subtitle").textContent = t("subtitle");
  document.getElementById("typing-label").textContent = t("typing");
  document.getElementById("send").textContent = t("send");
  input.placeholder = t("placeholder");
  const languageSwitch = document.getElementById("language");
  languageSwitch.textContent = t("otherLanguage");
  languageSwitch.title = t("otherLanguageLabel");
  languageSwitch.href = pageLink({ locale: LANGUAGE === "en" ? "sv-SE" : "en-GB" });
  const scopeSwitch = document.getElementById("scope");
  scopeSwitch.textContent = t("otherScope");
  scopeSwitch.title = t("otherScopeLabel");
  scopeSwitch.href = pageLink({ scope: SCOPE === CHANNEL ? "personal" : CHANNEL });

  function pageLink(changes) {
    // The choices survive switching another one; anything else in the address is dropped.
    const params = new URLSearchParams();
    const locale = changes.locale || (LOCALE_TAG.test(askedLocale) ? askedLocale : "");
    const scope = changes.scope || SCOPE;
    const played = "as" in changes ? changes.as : PLAYED;
    if (locale) params.set("locale", locale);
    if (scope === CHANNEL) params.set("scope", CHANNEL);
    if (played) params.set("as", played);
    const query = params.toString();
    return query ? `?${query}` : location.pathname;
  }
  input.setAttribute("aria-label", t("placeholder"));

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function scrollToEnd() {
    log.appendChild(typingRow); // the typing indicator always sits below the last message
    log.scrollTop = log.scrollHeight;
  }

  function timeLabel(timestamp) {
    const date = timestamp ? new Date(timestamp) : new Date();
    const valid = Number.isNaN(date.getTime()) ? new Date() : date;
    return valid.toLocaleTimeString(LOCALE, { hour: "2-digit", minute: "2-digit" });
  }

  function dateTimeLabel(timestamp) {
    const date = new Date(timestamp);
    if (Number.isNaN(date.getTime())) return "?";
    return date.toLocaleString(LOCALE, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }

  function showUserMessage(text) {
    const row = element("div", "row user");
    const bubble = element("div", "bubble");
    const line = element("div", "text");
    if (SCOPE === CHANNEL) line.append(element("span", "mention", BOT.name), " ");
    line.append(text);
    bubble.append(element("div", "meta", timeLabel()), line);
    row.appendChild(bubble);
    log.appendChild(row);
    scrollToEnd();
  }

  function showNotice(text, kind) {
    const line = element("p", `notice ${kind}`, text);
    line.setAttribute("role", kind === "error" ? "alert" : "status");
    log.appendChild(line);
    scrollToEnd();
    return line;
  }

  // --- Typing: while a message is on its way, and while the bot says it is typing -----------
  let pendingPosts = 0;
  let botTypingUntil = 0;

  function updateTyping() {
    const typing = pendingPosts > 0 || Date.now() < botTypingUntil;
    typingRow.hidden = !typing;
    if (typing) scrollToEnd();
  }

  // --- Sending ---------------------------------------------------------------------------------
  async function post(activity) {
    pendingPosts += 1;
    updateTyping();
    try {
      const response = await fetch(MESSAGES_URL, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(activity),
      });
      if (!response.ok) {
        const detail = await errorDetail(response);
        showNotice(t("botError", { status: response.status, detail }), "error");
      }
      return response;
    } catch (error) {
      showNotice(t("unreachable", { url: location.origin + MESSAGES_URL }), "error");
      return null;
    } finally {
      pendingPosts -= 1;
      updateTyping();
    }
  }

  async function errorDetail(response) {
    try {
      const body = await response.json();
      return typeof body.error === "string" ? body.error : response.statusText;
    } catch (error) {
      return response.statusText;
    }
  }

  function sendText(text) {
    const question = text.trim();
    if (!question) return;
    showUserMessage(question);
    post(messageActivity(question));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = "";
    input.style.height = "";
    sendText(text);
    input.focus();
  });

  input.addEventListener("input", () => {
    // Grow with the question up to a few lines, as Teams' compose box does.
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight + 2, 160)}px`;
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // --- Card buttons, as Teams handles them ----------------------------------------------------
  function executeAction(action, cardActivity, holder) {
    const type = action.getJsonTypeName();
    if (type === "Action.Execute") {
      execute(action, cardActivity, holder);
      return;
    }
    if (type === "Action.OpenUrl") {
      openUrl(action.url);
      return;
    }
    if (type === "Action.Submit") {
      submit(action.data, cardActivity);
      return;
    }
    showNotice(t("unsupportedAction", { type }), "info");
  }

  async function execute(action, cardActivity, holder) {
    // Teams sends an Action.Execute as an adaptiveCard/action invoke and shows the card the bot
    // answers with in place of the pressed one (Universal Actions).
    const activity = {
      ...baseActivity("invoke"),
      name: "adaptiveCard/action",
      value: { action: { type: "Action.Execute", verb: action.verb, data: action.data ?? {} }, trigger: "manual" },
      replyToId: cardActivity.id,
    };
    const response = await post(activity);
    if (!response || !response.ok) return;
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      return;
    }
    if (body && body.type === ADAPTIVE_CARD && body.value && holder) {
      holder.replaceWith(renderCard(body.value, cardActivity));
    } else if (body && body.value && typeof body.value.message === "string") {
      showNotice(body.value.message, "info");
    }
  }

  function openUrl(url) {
    if (!url || !OPENABLE_URL.test(url)) {
      showNotice(t("blockedUrl", { url: String(url) }), "error");
      return;
    }
    window.open(url, "_blank", "noopener,noreferrer");
  }

  function submit(data, cardActivity) {
    const msteams = data && typeof data === "object" ? data.msteams : undefined;
    if (msteams && msteams.type === "imBack") {
      // Teams posts the value as the user's own message, shown in the chat like typed text.
      sendText(String(msteams.value ?? ""));
      return;
    }
    if (msteams && msteams.type === "messageBack") {
      if (msteams.displayText) showUserMessage(String(msteams.displayText));
      const activity = messageActivity(msteams.text === undefined ? "" : String(msteams.text));
      if (msteams.value !== undefined) activity.value = msteams.value;
      activity.replyToId = cardActivity.id;
      post(activity);
      return;
    }
    if (msteams && msteams.type) {
      showNotice(t("unsupportedAction", { type: `msteams ${msteams.type}` }), "info");
      return;
    }
    // A plain Action.Submit: Teams posts the data (with the inputs) as the value, and no text.
    const activity = { ...baseActivity("message"), value: data ?? {}, replyToId: cardActivity.id };
    post(activity);
  }

  // --- Rendering the bot's messages -------------------------------------------------------------
  const renderer = window.AdaptiveCards;
  const markdown = window.markdownit ? makeMarkdown(window.markdownit) : null;

  function makeMarkdown(markdownit) {
    // What Teams renders in cards and messages: emphasis, lists, links (bare URLs too) and line
    // breaks; no HTML, no images, headings, tables or code.
    const md = markdownit({ html: false, linkify: true, breaks: true });
    md.linkify.set({ fuzzyEmail: false }); // addresses in fact sets stay text; the Mejla button mails
    md.disable(["image", "table", "code", "fence", "heading", "lheading", "blockquote", "hr",
      "html_block", "html_inline", "backticks", "strikethrough", "reference"]);
    const defaultLinkOpen = md.renderer.rules.link_open ||
      ((tokens, index, options, env, self) => self.renderToken(tokens, index, options));
    md.renderer.rules.link_open = (tokens, index, options, env, self) => {
      tokens[index].attrSet("target", "_blank");
      tokens[index].attrSet("rel", "noopener noreferrer");
      return defaultLinkOpen(tokens, index, options, env, self);
    };
    return md;
  }

  if (renderer) {
    renderer.AdaptiveCard.onProcessMarkdown = (text, result) => {
      if (!markdown) return;
      result.outputHtml = markdown.render(text);
      result.didProcess = true;
    };
  } else {
    showNotice(t("noRenderer"), "error");
  }

  function renderCard(content, activity) {
    const holder = element("div", "card");
    if (!renderer || !content || typeof content !== "object") {
      holder.appendChild(element("div", "card-fallback", cardText(content)));
      return holder;
    }
    try {
      const card = new renderer.AdaptiveCard();
      card.hostConfig = new renderer.HostConfig(window.REGIONDORREN_HOST_CONFIG);
      card.onExecuteAction = (action) => executeAction(action, activity, holder);
      card.parse(content);
      const rendered = card.render();
      if (!rendered) throw new Error("the renderer returned nothing");
      holder.appendChild(rendered);
    } catch (error) {
      console.error("card could not be rendered", error);
      holder.append(element("p", "notice error", t("cardError")), element("div", "card-fallback", cardText(content)));
    }
    return holder;
  }

  function cardText(content) {
    return content && typeof content === "object" && typeof content.fallbackText === "string"
      ? content.fallbackText : "";
  }

  function renderText(activity) {
    const format = (activity.textFormat || "markdown").toLowerCase();
    if (format !== "markdown" || !renderer) return element("div", "text", activity.text);
    // Markdown text goes through the renderer (markdown-it, HTML off), as Teams renders it.
    const block = renderCard({ type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: activity.text, wrap: true }] }, activity);
    block.className = "text markdown";
    return block;
  }

  function renderAttachments(activity) {
    const attachments = Array.isArray(activity.attachments) ? activity.attachments : [];
    const carousel = activity.attachmentLayout === CAROUSEL && attachments.length > 1;
    const strip = element("div", carousel ? "attachments carousel" : "attachments list");
    for (const attachment of attachments) {
      if (attachment && attachment.contentType === ADAPTIVE_CARD) {
        strip.appendChild(renderCard(attachment.content, activity));
      } else {
        const type = attachment && typeof attachment.contentType === "string" ? attachment.contentType : "?";
        strip.appendChild(element("p", "notice info", t("unsupportedAttachment", { type })));
      }
    }
    if (!carousel) return strip;
    return withCarouselButtons(strip);
  }

  function withCarouselButtons(strip) {
    const frame = element("div", "carousel-frame");
    const previous = element("button", "carousel-button previous", "‹");
    const next = element("button", "carousel-button next", "›");
    previous.type = next.type = "button";
    previous.setAttribute("aria-label", t("previous"));
    next.setAttribute("aria-label", t("next"));
    const step = () => (strip.firstElementChild ? strip.firstElementChild.getBoundingClientRect().width + 12 : 300);
    previous.addEventListener("click", () => strip.scrollBy({ left: -step(), behavior: "smooth" }));
    next.addEventListener("click", () => strip.scrollBy({ left: step(), behavior: "smooth" }));
    // Only the arrows that lead somewhere: none before the first card, none after the last.
    const update = () => {
      previous.disabled = strip.scrollLeft <= 1;
      next.disabled = strip.scrollLeft + strip.clientWidth >= strip.scrollWidth - 1;
    };
    strip.addEventListener("scroll", update, { passive: true });
    new ResizeObserver(update).observe(strip);  // once laid out, and when the window changes
    frame.append(previous, strip, next);
    return frame;
  }

  function renderBotMessage(activity) {
    const row = element("div", "row bot");
    row.dataset.activityId = String(activity.id || "");
    const body = element("div", "bot-body");
    const name = activity.from && typeof activity.from.name === "string" && activity.from.name ? activity.from.name : BOT.name;
    const meta = element("div", "meta");
    meta.append(element("span", "name", name), element("span", "time", timeLabel(activity.timestamp)),
      jsonToggle(activity, body));
    body.appendChild(meta);
    if (typeof activity.text === "string" && activity.text) body.appendChild(renderText(activity));
    if (Array.isArray(activity.attachments) && activity.attachments.length) body.appendChild(renderAttachments(activity));
    row.append(element("div", "avatar small", "R"), body);
    row.firstChild.setAttribute("aria-hidden", "true");
    return row;
  }

  function jsonToggle(activity, body) {
    // For whoever edits cards or data: the activity exactly as the connector received it.
    const button = element("button", "json-toggle", t("showJson"));
    button.type = "button";
    button.title = t("showJsonLabel");
    button.setAttribute("aria-label", t("showJsonLabel"));
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", () => {
      const shown = body.querySelector(":scope > pre.json");
      if (shown) {
        shown.remove();
        button.setAttribute("aria-expanded", "false");
        return;
      }
      const { devchatUpdate, ...original } = activity;
      body.appendChild(element("pre", "json", JSON.stringify(original, null, 2)));
      button.setAttribute("aria-expanded", "true");
    });
    return button;
  }

  function existingRow(id) {
    return Array.from(log.querySelectorAll(".row.bot")).find((row) => row.dataset.activityId === String(id));
  }

  function receive(activity) {
    if (!activity || typeof activity !== "object") return;
    if (activity.type === "typing") {
      botTypingUntil = Date.now() + TYPING_MILLISECONDS;
      updateTyping();
      setTimeout(updateTyping, TYPING_MILLISECONDS + 50);
      return;
    }
    if (activity.type === "devchatDelete") {
      const row = existingRow(activity.id);
      if (row) row.querySelector(".bot-body").replaceChildren(element("div", "text deleted", t("deleted")));
      return;
    }
    if (activity.type !== "message") return; // Teams shows no other activity the bot sends
    botTypingUntil = 0;
    const row = renderBotMessage(activity);
    const previous = activity.devchatUpdate ? existingRow(activity.id) : null;
    if (previous) previous.replaceWith(row); else log.appendChild(row);
    updateTyping();
    scrollToEnd();
  }

  // --- Who the page plays: yourself, or someone who may post ----------------------------------------
  async function showPeople() {
    const choice = document.getElementById("as");
    if (!choice) return;
    choice.title = t("asLabel");
    choice.setAttribute("aria-label", t("asLabel"));
    choice.append(new Option(t("asMyself"), ""));
    let people = [];
    try {
      const response = await fetch("/devchat/people");
      if (response.ok) people = await response.json();
    } catch (error) {
      people = [];
    }
    for (const person of people) {
      choice.append(new Option(t("asPerson", { name: person.name }), person.email, false, person.email === PLAYED));
      if (person.email === PLAYED) USER.name = person.name;
    }
    choice.hidden = false;
    choice.addEventListener("change", () => {
      location.href = pageLink({ as: choice.value });
    });
  }
  showPeople();

  // --- The bot's replies, streamed from the local connector --------------------------------------
  function connect() {
    const source = new EventSource(`/devchat/conversations/${encodeURIComponent(CONVERSATION_ID)}/stream`);
    source.addEventListener("activity", (event) => {
      try {
        receive(JSON.parse(event.data));
      } catch (error) {
        console.error("could not show an activity", error);
      }
    });
    source.addEventListener("open", () => {
      statusLine.hidden = true;
      document.body.dataset.connected = "true";
    });
    source.addEventListener("error", () => {
      // CONNECTING: the browser retries by itself; CLOSED: the server refused the stream (404).
      statusLine.textContent = t(source.readyState === EventSource.CLOSED ? "streamClosed" : "streamLost");
      statusLine.hidden = false;
      document.body.dataset.connected = "false";
    });
  }

  // --- What data the bot answers from (the header), and whether an edit of data/ failed ------------
  const dataStatus = document.getElementById("data-status");
  const dataProblem = document.getElementById("data-problem");

  async function showHealth() {
    let health;
    try {
      const response = await fetch(HEALTH_URL, { cache: "no-store" });
      health = await response.json();
    } catch (error) {
      return; // the stream's status line already says the server is away
    }
    if (!health || typeof health !== "object") return;
    // The same sentence check-data prints, in the page's language.
    const texts = health.last_error_text && typeof health.last_error_text === "object" ? health.last_error_text : {};
    const said = typeof texts[LANGUAGE] === "string" ? texts[LANGUAGE] : health.last_error;
    const error = typeof said === "string" ? said : "";
    if (typeof health.data_version === "string") {
      const loaded = health.loaded_at ? timeLabel(health.loaded_at) : "?";
      // When the files were saved, which the person who edits them recognises (the hash stays in /healthz).
      const changed = health.data_changed_at ? dateTimeLabel(health.data_changed_at) : "?";
      dataStatus.textContent = t("dataStatus", { changed, counties: health.counties, time: loaded });
      dataStatus.title = health.data_version;
    }
    dataProblem.hidden = !error;
    if (error) dataProblem.textContent = t(health.data_version ? "dataProblem" : "noData", { error });
  }

  connect();
  showHealth();
  setInterval(showHealth, HEALTH_MILLISECONDS);
  // The bot answers being added with its welcome card.
  post(welcomeActivity());
  input.focus();
})();
