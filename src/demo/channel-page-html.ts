/**
 * The demo page: a channel, its threads and two composers, drawn from the view the server pushes
 * (`/events`). Messages arrive as HTML the server rendered from Block Kit (`render-blocks.ts`); the
 * script here only lays them out, opens threads, and sends what is typed or clicked to `/send` and
 * `/click`. Plain on purpose: enough of Slack to judge the bot, no more.
 */
export const CHANNEL_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>#oncall · apigw-doctor demo</title>
<style>
  :root { --line: #e2e2e2; --muted: #616061; --link: #1264a3; --side: #3f0e40; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.46 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1d1c1d; display: flex; height: 100vh; }
  #side { width: 220px; background: var(--side); color: #cfc3cf; padding: 14px; flex: none; font-size: 14px; }
  #side h1 { color: #fff; font-size: 17px; margin: 0 0 14px; }
  #side .chan { background: #1164a3; color: #fff; border-radius: 6px; padding: 3px 10px; }
  #side p { font-size: 12.5px; line-height: 1.4; }
  #side code { color: #fff; background: rgba(255,255,255,.14); border: 0; }
  main { flex: 1; display: flex; min-width: 0; }
  .pane { display: flex; flex-direction: column; min-width: 0; }
  #channel { flex: 1.4; }
  #thread { flex: 1; border-left: 1px solid var(--line); }
  #thread[hidden] { display: none; }
  .pane header { padding: 10px 18px; border-bottom: 1px solid var(--line); font-weight: 700; display: flex; justify-content: space-between; align-items: center; }
  .pane header small { font-weight: 400; color: var(--muted); margin-left: 8px; }
  .list { flex: 1; overflow-y: auto; padding: 8px 0; }
  .message { display: flex; gap: 10px; padding: 6px 18px; }
  .message:hover { background: #f8f8f8; }
  .avatar { width: 36px; height: 36px; border-radius: 6px; background: #4a154b; color: #fff; font-weight: 700; display: flex; align-items: center; justify-content: center; flex: none; }
  .message.bot .avatar { background: #e8912d; }
  .content { min-width: 0; flex: 1; }
  .meta { font-size: 15px; }
  .meta b { margin-right: 6px; }
  .meta .app { font-size: 10px; background: #ddd; color: #555; border-radius: 2px; padding: 0 3px; margin-right: 6px; vertical-align: 2px; }
  .meta time, .meta .edited { color: var(--muted); font-size: 12px; }
  .message.ephemeral { background: #f4f9fd; }
  .only-you { color: var(--muted); font-size: 12.5px; }
  .block { margin: 3px 0; overflow-wrap: anywhere; }
  .block.header { font-weight: 700; font-size: 17px; }
  .section { display: flex; gap: 10px; justify-content: space-between; }
  .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 16px; margin-top: 4px; }
  .context { color: var(--muted); font-size: 12.5px; }
  .context .element + .sep + .element::before { content: "· "; }
  hr.divider { border: 0; border-top: 1px solid var(--line); margin: 8px 0; }
  .actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
  .button { font: inherit; font-size: 13px; font-weight: 700; padding: 3px 12px; border: 1px solid #bbb; border-radius: 4px; background: #fff; cursor: pointer; color: #1d1c1d; text-decoration: none; }
  .button:hover { background: #f2f2f2; }
  .button.primary { background: #007a5a; color: #fff; border-color: #007a5a; }
  .button.danger { color: #e01e5a; border-color: #e01e5a; }
  .button[disabled] { opacity: .5; cursor: progress; }
  pre.code { background: #f8f8f8; border: 1px solid var(--line); border-radius: 4px; padding: 8px; margin: 4px 0; white-space: pre-wrap; word-break: break-all; font: 12px/1.5 Monaco, Menlo, Consolas, monospace; }
  code { font: 12px Monaco, Menlo, Consolas, monospace; color: #e01e5a; background: #f6f6f6; border: 1px solid var(--line); border-radius: 3px; padding: 0 3px; }
  .quote { border-left: 4px solid #ddd; padding-left: 8px; display: inline-block; }
  .mention { color: var(--link); background: #e8f5fa; border-radius: 3px; padding: 0 2px; }
  a { color: var(--link); }
  .replies { background: none; border: 0; padding: 0; font: inherit; font-size: 13px; color: var(--link); font-weight: 700; cursor: pointer; margin-top: 2px; }
  form { padding: 0 18px 14px; }
  textarea { width: 100%; font: inherit; padding: 9px 11px; border: 1px solid #bbb; border-radius: 8px; resize: vertical; min-height: 44px; }
  .hint { color: var(--muted); font-size: 12px; padding: 3px 2px 0; }
  .chips { display: flex; flex-wrap: wrap; gap: 6px; padding: 6px 18px; }
  .chip { font: inherit; font-size: 12.5px; background: #f4ede4; border: 1px solid #e5d7c6; border-radius: 12px; padding: 1px 10px; cursor: pointer; }
  .close { background: none; border: 0; font-size: 20px; cursor: pointer; color: var(--muted); }
  #status { color: #e01e5a; font-size: 12.5px; padding: 0 18px; }
</style>
</head>
<body>
<nav id="side">
  <h1>Acme</h1>
  <div class="chan"># oncall</div>
  <p>A local stand-in for Slack. What you type and click here is sent to the real apigw-doctor web process as
  Slack sends it (signed slash commands, events, button clicks); the worker investigates the built-in
  <b>sandbox</b> AWS account. Nothing leaves this machine.</p>
  <p>Try <code>/apigw apis</code> to see what is failing, then <code>/apigw why 502 orders-api</code>; in the
  answer's thread: <code>evidence</code>, <code>fixes</code>, <code>widen 24h</code>.</p>
</nav>
<main>
  <section id="channel" class="pane" aria-label="Channel #oncall">
    <header><span># oncall<small>apigw-doctor demo · sandbox account</small></span></header>
    <div class="list" id="channel-list" aria-live="polite"></div>
    <div class="chips" id="chips"></div>
    <div id="status" role="status"></div>
    <form id="composer" autocomplete="off">
      <textarea name="text" rows="1" placeholder="Message #oncall — /apigw why 502 orders-api, or @apigw-doctor …" aria-label="Message #oncall"></textarea>
      <div class="hint">Enter sends · Shift+Enter for a new line</div>
    </form>
  </section>
  <section id="thread" class="pane" aria-label="Thread" hidden>
    <header><span>Thread<small id="thread-title"></small></span><button class="close" type="button" aria-label="Close the thread">×</button></header>
    <div class="list" id="thread-list" aria-live="polite"></div>
    <form id="thread-composer" autocomplete="off">
      <textarea name="text" rows="1" placeholder="Reply… (evidence, explain 1, fixes, widen 24h, request <id>, verify, or paste log lines)" aria-label="Reply in the thread"></textarea>
      <div class="hint">Enter sends · Shift+Enter for a new line</div>
    </form>
  </section>
</main>
<script>
(function () {
  var view = { messages: [] };
  var openThread = null;
  var chips = ['/apigw help', '/apigw apis', '/apigw why 502 orders-api', '@apigw-doctor why is payments-http returning 504s since 9am?', '/apigw check billing-api'];
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var $ = function (id) { return document.getElementById(id); };

  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }

  function messageHtml(m, inThread) {
    var replies = inThread || m.threadTs ? [] : view.messages.filter(function (r) { return r.threadTs === m.ts && !r.ephemeral; });
    return '<div class="message' + (m.bot ? ' bot' : '') + (m.ephemeral ? ' ephemeral' : '') + '" data-ts="' + esc(m.ts) + '">' +
      '<div class="avatar">' + esc(m.author.charAt(0).toUpperCase()) + '</div><div class="content">' +
      '<div class="meta"><b>' + esc(m.author) + '</b>' + (m.bot ? '<span class="app">APP</span>' : '') + '<time>' + esc(m.time) + '</time>' +
      (m.edited ? ' <span class="edited">(edited)</span>' : '') + '</div>' +
      (m.ephemeral ? '<div class="only-you">👁 Only visible to you</div>' : '') +
      '<div class="body">' + m.html + '</div>' +
      (replies.length ? '<button type="button" class="replies" data-thread="' + esc(m.ts) + '">' + replies.length + (replies.length === 1 ? ' reply' : ' replies') + '</button>' : '') +
      '</div></div>';
  }

  function fill(list, html) {
    var atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
    list.innerHTML = html;
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  function render() {
    fill($('channel-list'), view.messages.filter(function (m) { return !m.threadTs; }).map(function (m) { return messageHtml(m, false); }).join(''));
    if (openThread) {
      var root = view.messages.filter(function (m) { return m.ts === openThread; });
      var replies = view.messages.filter(function (m) { return m.threadTs === openThread; });
      $('thread').hidden = false;
      $('thread-title').textContent = '# oncall';
      fill($('thread-list'), root.concat(replies).map(function (m) { return messageHtml(m, true); }).join(''));
    } else {
      $('thread').hidden = true;
    }
  }

  function post(path, body) {
    $('status').textContent = '';
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || ('HTTP ' + r.status)); }); })
      .catch(function (e) { $('status').textContent = e.message; });
  }

  function wireComposer(form, thread) {
    var box = form.querySelector('textarea');
    var send = function () {
      var text = box.value;
      if (!text.trim()) return;
      box.value = '';
      var body = { text: text, timeZone: zone };
      if (thread()) body.threadTs = thread();
      post('/send', body);
    };
    form.addEventListener('submit', function (e) { e.preventDefault(); send(); });
    box.addEventListener('keydown', function (e) { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); send(); } });
  }
  wireComposer($('composer'), function () { return null; });
  wireComposer($('thread-composer'), function () { return openThread; });

  $('chips').innerHTML = chips.map(function (c) { return '<button type="button" class="chip">' + esc(c) + '</button>'; }).join('');
  $('chips').addEventListener('click', function (e) {
    if (!e.target.classList.contains('chip')) return;
    var box = $('composer').querySelector('textarea');
    box.value = e.target.textContent;
    box.focus();
  });

  document.addEventListener('click', function (e) {
    var replies = e.target.closest('.replies');
    if (replies) { openThread = replies.getAttribute('data-thread'); render(); $('thread-composer').querySelector('textarea').focus(); return; }
    if (e.target.closest('.close')) { openThread = null; render(); return; }
    var button = e.target.closest('button[data-action-id]');
    if (!button) return;
    var message = button.closest('.message');
    button.disabled = true;
    post('/click', { ts: message.getAttribute('data-ts'), actionId: button.getAttribute('data-action-id'), blockId: button.getAttribute('data-block-id'), value: button.getAttribute('data-value') })
      .then(function () { button.disabled = false; });
  });

  var source = new EventSource('/events');
  source.onmessage = function (e) { view = JSON.parse(e.data); render(); };
  source.onerror = function () { $('status').textContent = 'Lost the connection to the demo; it reconnects by itself when it is back.'; };
  source.onopen = function () { $('status').textContent = ''; };
})();
</script>
</body>
</html>
`;
