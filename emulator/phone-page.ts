/** Rough "phone chat screen" HTML for eyeballing what an emulated user sees. */
import { esc } from "./http-util.js";
import type { ChannelState, EmulatorState } from "./state.js";

type AnyObj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function richMenuImagePath(channelId: string, richMenuId: string): string {
  return `/__emulator/channels/${encodeURIComponent(channelId)}/richmenus/${encodeURIComponent(richMenuId)}/image`;
}

export function describeAction(a: AnyObj | undefined): string {
  if (!a) return "(no action)";
  switch (a.type) {
    case "uri":
      return `uri: ${a.uri}`;
    case "message":
      return `message: ${a.text}`;
    case "postback":
      return `postback: ${a.data}${a.displayText ? ` (“${a.displayText}”)` : ""}`;
    case "richmenuswitch":
      return `richmenuswitch → ${a.richMenuAliasId} (${a.data})`;
    case "datetimepicker":
      return `datetimepicker(${a.mode}): ${a.data}`;
    case "clipboard":
      return `clipboard: ${a.clipboardText}`;
    default:
      return String(a.type);
  }
}

function actionLink(a: AnyObj | undefined, label: string): string {
  if (a?.type === "uri") return `<a class="btn" href="${esc(a.uri)}" target="_blank" title="${esc(describeAction(a))}">${esc(label)}</a>`;
  return `<span class="btn" title="${esc(describeAction(a))}">${esc(label)}<small> [${esc(describeAction(a))}]</small></span>`;
}

function renderFlexComponent(c: AnyObj | undefined, depth = 0): string {
  if (!c || depth > 20) return "";
  switch (c.type) {
    case "box":
      return `<div class="fbox ${c.layout === "horizontal" || c.layout === "baseline" ? "h" : "v"}">${(c.contents ?? []).map((x: AnyObj) => renderFlexComponent(x, depth + 1)).join("")}</div>`;
    case "text": {
      const text = c.text ?? (c.contents ?? []).map((s: AnyObj) => s.text ?? "").join("");
      return `<div class="ftext" style="${c.weight === "bold" ? "font-weight:bold;" : ""}${c.color ? `color:${esc(c.color)};` : ""}">${esc(text)}</div>`;
    }
    case "image":
      return `<img class="fimg" src="${esc(c.url)}" alt="">`;
    case "button":
      return actionLink(c.action, c.action?.label ?? "button");
    case "separator":
      return `<hr>`;
    case "icon":
      return `<img src="${esc(c.url)}" style="height:1em" alt="">`;
    default:
      return "";
  }
}

function renderBubble(b: AnyObj): string {
  const parts = [
    b.header ? `<div class="fhdr">${renderFlexComponent(b.header)}</div>` : "",
    b.hero ? `<div class="fhero">${renderFlexComponent(b.hero)}</div>` : "",
    b.body ? `<div class="fbody">${renderFlexComponent(b.body)}</div>` : "",
    b.footer ? `<div class="ffoot">${renderFlexComponent(b.footer)}</div>` : "",
  ];
  return `<div class="bubble flex">${parts.join("")}</div>`;
}

export function renderMessage(m: AnyObj): string {
  switch (m.type) {
    case "text":
    case "textV2":
      return `<div class="bubble">${esc(m.text).replace(/\n/g, "<br>")}</div>`;
    case "image":
      return `<div class="bubble"><a href="${esc(m.originalContentUrl)}" target="_blank"><img src="${esc(m.previewImageUrl)}" style="max-width:200px" alt="image"></a></div>`;
    case "sticker":
      return `<div class="bubble">[sticker ${esc(m.packageId)}/${esc(m.stickerId)}]</div>`;
    case "flex": {
      const c = m.contents ?? {};
      const inner =
        c.type === "carousel" ? `<div class="carousel">${(c.contents ?? []).map(renderBubble).join("")}</div>` : renderBubble(c);
      return `<div class="alt">${esc(m.altText)}</div>${inner}`;
    }
    case "template": {
      const t = m.template ?? {};
      const actions = (t.actions ?? []).map((a: AnyObj) => actionLink(a, a.label ?? a.type)).join("");
      return `<div class="bubble"><div class="alt">${esc(m.altText)}</div>${t.thumbnailImageUrl ? `<img class="fimg" src="${esc(t.thumbnailImageUrl)}" alt="">` : ""}${t.title ? `<b>${esc(t.title)}</b>` : ""}<div>${esc(t.text ?? "")}</div>${actions}</div>`;
    }
    default:
      return `<div class="bubble">[${esc(m.type)} message]</div>`;
  }
}

const CSS = `body{margin:0;background:#333;font-family:-apple-system,sans-serif}
.phone{width:390px;margin:16px auto;background:#8cabd9;border-radius:24px;overflow:hidden;display:flex;flex-direction:column;min-height:780px}
.top{background:#233;color:#fff;padding:10px 14px}.chat{flex:1;padding:8px;overflow-y:auto}
.msg{margin:8px 0}.meta{font-size:10px;color:#334}.bubble{display:inline-block;background:#fff;border-radius:14px;padding:8px 12px;max-width:300px;word-break:break-word}
.flex{padding:0;overflow:hidden}.fhdr,.fbody,.ffoot{padding:8px 12px}.fimg{max-width:100%;display:block}.fbox.h{display:flex;gap:6px}
.btn{display:block;margin:4px 0;padding:6px;text-align:center;border:1px solid #06c755;border-radius:6px;color:#06c755;text-decoration:none;font-size:13px}
.btn small{color:#999;display:block}.alt{font-size:10px;color:#555}.carousel{display:flex;gap:6px;overflow-x:auto}
.menu{position:relative;background:#fff}.menu img{width:100%;display:block}
.area{position:absolute;border:2px dashed rgba(255,0,0,.7);box-sizing:border-box;font-size:10px;color:#fff;background:rgba(0,0,0,.35);overflow:hidden;padding:2px}
.area:hover{background:rgba(0,0,0,.6)}.chatbar{background:#f5f5f5;text-align:center;padding:8px;border-top:1px solid #ddd;font-size:13px}`;

export function phonePage(state: EmulatorState, cs: ChannelState, userId: string, refreshSec = 3): string {
  const u = state.users.get(userId);
  const msgs = (cs.messagesByUser.get(userId) ?? []).slice(-100);
  const friendship = state.friendship(cs, userId);
  const override = cs.displayOverride.get(userId);
  const menuId = (override && cs.richMenus.has(override) ? override : undefined) ?? state.effectiveRichMenuId(cs, userId);
  const tapUrl = `/__emulator/phone/${encodeURIComponent(cs.channel.channelId)}/${encodeURIComponent(userId)}/tap`;
  const menu = menuId ? cs.richMenus.get(menuId) : undefined;
  let menuHtml = `<div class="chatbar">(no rich menu)</div>`;
  if (menu) {
    const imgUrl = richMenuImagePath(cs.channel.channelId, menu.richMenuId);
    const areas = menu.areas
      .map((a, i) => {
        const s = `left:${(a.bounds.x / menu.size.width) * 100}%;top:${(a.bounds.y / menu.size.height) * 100}%;width:${(a.bounds.width / menu.size.width) * 100}%;height:${(a.bounds.height / menu.size.height) * 100}%`;
        const label = describeAction(a.action as AnyObj);
        const inner =
          (a.action as AnyObj).type === "uri"
            ? `<a href="${esc((a.action as AnyObj).uri)}" target="_blank" style="color:#fff">${esc(label)}</a>`
            : esc(label);
        const tap =
          (a.action as AnyObj).type === "uri"
            ? ""
            : `<form method="post" action="${esc(tapUrl)}" style="position:absolute;inset:0;margin:0"><input type="hidden" name="richMenuId" value="${esc(menu.richMenuId)}"><input type="hidden" name="area" value="${i}"><button style="position:absolute;inset:0;opacity:0;cursor:pointer" title="tap: ${esc(label)}"></button></form>`;
        return `<div class="area" data-area="${i}" data-action-type="${esc((a.action as AnyObj).type)}" style="${s}" title="${esc(label)}">${inner}${tap}</div>`;
      })
      .join("");
    menuHtml =
      `<div class="menu" data-richmenu-id="${esc(menu.richMenuId)}" style="aspect-ratio:${menu.size.width}/${menu.size.height}">` +
      (menu.image ? `<img src="${esc(imgUrl)}" alt="rich menu">` : `<div style="padding:1em">(no image uploaded)</div>`) +
      areas +
      `</div><div class="chatbar">${esc(menu.chatBarText)} ▾ <small>(${esc(menu.name)} · ${cs.userRichMenus.has(userId) ? "per-user" : "default"})</small></div>`;
  }
  const list = msgs
    .map(
      (m) =>
        `<div class="msg"><div class="meta">${new Date(m.time).toISOString().slice(11, 19)} · ${m.kind}${m.retryKey ? " · retry " + esc(m.retryKey.slice(0, 8)) : ""}</div>${renderMessage(m.message)}</div>`,
    )
    .join("");
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="${refreshSec}"><title>${esc(u?.displayName ?? userId)} – ${esc(cs.channel.displayName)}</title><style>${CSS}</style></head>
<body><div class="phone"><div class="top"><b>${esc(cs.channel.displayName)}</b><br><small>${esc(u?.displayName ?? "?")} (${esc(userId)}) · ${friendship}</small></div>
<div class="chat">${list || '<p style="color:#fff">No messages yet.</p>'}</div>${menuHtml}
<form method="post" action="${esc(tapUrl)}" style="display:flex;margin:0;border-top:1px solid #ccc"><input name="text" placeholder="Send a message as this user (→ message webhook)" style="flex:1;padding:10px;border:0"><button>Send</button></form>
</div></body></html>`;
}

export function phoneIndex(state: EmulatorState, limit = 200): string {
  const chans = [...state.channels.values()]
    .map((cs) => {
      const users = [...cs.friendships.entries()].slice(0, limit);
      const rows = users
        .map(
          ([uid, f]) =>
            `<li><a href="/__emulator/phone/${encodeURIComponent(cs.channel.channelId)}/${encodeURIComponent(uid)}">${esc(state.users.get(uid)?.displayName ?? uid)}</a> <small>${esc(uid)} · ${f}</small></li>`,
        )
        .join("");
      return `<h2>${esc(cs.channel.displayName)} <small>${esc(cs.channel.channelId)}</small></h2><p>webhook: ${esc(cs.channel.webhookUrl ?? "(none)")} · rich menus: ${cs.richMenus.size} · friends shown: ${users.length}/${cs.friendships.size}</p><ul>${rows}</ul>`;
    })
    .join("");
  return `<!doctype html><html><head><meta charset="utf-8"><title>LINE emulator phones</title></head><body style="font-family:sans-serif;padding:1em"><h1>LINE emulator</h1>${chans || "<p>No channels.</p>"}</body></html>`;
}
