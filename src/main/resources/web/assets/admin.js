// The operator dashboard: executions newest first (or one person's, found by e-mail) with their steps, attempts,
// errors and causes, the attempt history, a Redrive button for failed ones and one for every failed one (after an
// upstream's outage), a Forget button that erases a person from the service's tables, the members as CSV,
// today's counts, and in link mode how far the invite link is from Slack's limits. Uses only the operator API;
// the token is kept for this tab only (sessionStorage). Every piece of user-supplied text goes in as text, never
// as HTML.
'use strict';
(function () {
  const KEY = 'signup-operator-token';
  const login = document.getElementById('login');
  const board = document.getElementById('board');
  const rows = document.getElementById('rows');
  const counts = document.getElementById('counts');
  const inviteLink = document.getElementById('invite-link');
  const loginError = document.getElementById('token-error');
  const state = { status: '', email: '', cursors: [''], page: 0, next: null };
  // the steps' columns, as the page was made from the routes' fan-out
  const stepColumns = Array.from(document.querySelectorAll('th[data-step]')).map((th) => th.dataset.step);

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  async function api(path, method, json) {
    const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(KEY), Accept: 'application/json' };
    if (json) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method: method || 'GET', headers, body: json ? JSON.stringify(json) : undefined });
    if (res.status === 401 || res.status === 403 || res.status === 429) {
      const body = await res.json().catch(() => ({}));
      sessionStorage.removeItem(KEY);
      showLogin(body.error || 'The token was refused.');
      throw new Error('unauthorised');
    }
    return res;
  }

  function showLogin(message) {
    board.hidden = true;
    login.hidden = false;
    loginError.textContent = message || '';
    document.getElementById('token').focus();
  }

  // the organiser's own time (the stored times are UTC, which the cell's title gives), as 2026-12-07 18:46:00
  function local(iso) {
    if (!iso) return '';
    const t = new Date(iso);
    const two = (n) => String(n).padStart(2, '0');
    return t.getFullYear() + '-' + two(t.getMonth() + 1) + '-' + two(t.getDate()) + ' ' + two(t.getHours()) + ':'
      + two(t.getMinutes()) + ':' + two(t.getSeconds());
  }

  function stepCell(name, result) {
    const cell = el('td');
    const badge = el('span', (result.status || 'PENDING').toLowerCase(), 'badge ' + (result.status || 'PENDING'));
    cell.append(badge, el('span', ' ' + (result.attempts || 0) + ' attempt' + (result.attempts === 1 ? '' : 's'), 'small'));
    if (result.error) cell.append(el('div', result.error, 'small'));
    if (result.cause) cell.title = result.cause;
    return cell;
  }

  function row(execution) {
    const tr = el('tr');
    const input = execution.input || {};
    const started = el('td', local(execution.startedAt));
    started.title = execution.startedAt || '';
    tr.append(started);
    const who = el('td');
    who.append(el('div', input.email), el('div', ((input.first_name || '') + ' ' + (input.last_name || '')).trim(), 'small'));
    tr.append(who);
    const status = el('td');
    status.append(el('span', execution.status.toLowerCase(), 'badge ' + execution.status));
    tr.append(status);
    stepColumns.forEach((s) => tr.append(stepCell(s, (execution.results || {})[s] || {})));
    const actions = el('td');
    const details = el('details');
    details.append(el('summary', 'History'));
    const list = el('ol', null, 'history');
    (execution.history || []).forEach((a) => {
      list.append(el('li', a.step + ' #' + a.attempt + ' ' + a.outcome + ' at ' + (a.startedAt || '').slice(11, 23)
        + (a.error ? ' ' + a.error : '') + (a.cause ? ': ' + a.cause : '')));
    });
    details.append(list);
    actions.append(details);
    if (execution.status === 'FAILED') {
      const redrive = el('button', 'Redrive', 'redrive');
      redrive.type = 'button';
      redrive.setAttribute('aria-label', 'Redrive the failed steps of ' + (input.email || execution.executionId));
      redrive.addEventListener('click', async () => {
        redrive.disabled = true;
        const res = await api('/executions/' + encodeURIComponent(execution.executionId) + '/redrive', 'POST');
        if (res.status !== 202) {
          const body = await res.json().catch(() => ({}));
          redrive.textContent = body.error || 'Refused';
        }
        await load();
      });
      actions.append(redrive);
    }
    if (Object.values(execution.results || {}).some((r) => r.status === 'WAITING')) {
      // an organiser's answer to an invite that waits for approval
      [['approve', 'Approve'], ['reject', 'Reject']].forEach(([answer, label]) => {
        const button = el('button', label, answer);
        button.type = 'button';
        button.setAttribute('aria-label', label + ' the invite of ' + (input.email || execution.executionId));
        button.addEventListener('click', async () => {
          button.disabled = true;
          const res = await api('/executions/' + encodeURIComponent(execution.executionId) + '/' + answer, 'POST');
          if (res.status !== 200 && res.status !== 202) {
            const body = await res.json().catch(() => ({}));
            button.textContent = body.error || 'Refused';
          }
          await load();
        });
        actions.append(button);
      });
    }
    if (execution.status !== 'RUNNING' && input.email) {
      // a person's request to be forgotten, or a bot that got through: their member record and every sign-up of theirs
      const forget = el('button', 'Forget', 'forget');
      forget.type = 'button';
      forget.setAttribute('aria-label', 'Forget ' + input.email);
      forget.addEventListener('click', async () => {
        if (!window.confirm('Delete ' + input.email + "'s member record and every sign-up of theirs from this service, "
          + 'and their contact in ActiveCampaign if the service syncs to it? This cannot be undone. What Slack holds '
          + 'stays there.')) return;
        forget.disabled = true;
        const res = await api('/members/forget', 'POST', { email: input.email });
        const body = await res.json().catch(() => ({}));
        document.getElementById('bulk').textContent = res.status === 200
          ? 'Forgot ' + body.email + ': ' + (body.member ? 'their member record and ' : '') + body.executions
            + ' sign-up' + (body.executions === 1 ? '' : 's') + '.'
            + (body.activecampaign ? ' Their ActiveCampaign contact: ' + body.activecampaign + '.' : '')
            + ' ' + body.elsewhere.charAt(0).toUpperCase() + body.elsewhere.slice(1) + '.'
          : (body.error || 'Refused');
        await load();
      });
      actions.append(forget);
    }
    actions.append(el('div', execution.executionId, 'small'));
    tr.append(actions);
    return tr;
  }

  async function load() {
    const cursor = state.cursors[state.page];
    const query = '?limit=20' + (state.status ? '&status=' + state.status : '') + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
    // an address goes in the body, not in a URL (proxies log URLs)
    const res = state.email ? await api('/members/find', 'POST', { email: state.email, status: state.status })
      : await api('/executions' + query);
    const page = await res.json();
    rows.textContent = '';
    if (!res.ok) {
      // the search box's text is no address a sign-up could have given
      const refused = el('tr');
      refused.append(el('td', 'No sign-up could come from ' + state.email + ': ' + ((page.fields && page.fields.email) || page.error) + '.'));
      rows.append(refused);
      return;
    }
    page.executions.forEach((e) => rows.append(row(e)));
    if (!page.executions.length) {
      const empty = el('tr');
      empty.append(el('td', state.email ? 'No sign-up from ' + state.email + '.' : 'No executions here.'));
      rows.append(empty);
    }
    state.next = page.nextCursor;
    document.getElementById('older').disabled = !state.next;
    document.getElementById('newer').disabled = state.page === 0;
    const today = await (await api('/executions/counts')).json();
    // the day is UTC's, as the store lists executions by day
    counts.textContent = 'Today (UTC, since ' + local(today.since).slice(11, 16) + ' your time): ' + today.accepted
      + ' accepted, ' + today.succeeded + ' succeeded, '
      + today.failed + ' failed, ' + today.running + ' running, ' + today.waiting + ' waiting for approval';
    // link mode: how far the shared invite link is from Slack's limits on it
    const link = today.inviteLink;
    inviteLink.hidden = !link;
    if (link) {
      inviteLink.className = link.check ? 'check' : 'small';
      inviteLink.textContent = (link.check ? 'Check the Slack invite link: it' : 'The Slack invite link') + ' has been handed to '
        + link.signups + ' sign-up' + (link.signups === 1 ? '' : 's') + ' since ' + local(link.since).slice(0, 10) + ' (' + link.days
        + ' day' + (link.days === 1 ? '' : 's') + '). Slack stops a link once ' + link.maxJoins + ' people have joined by it, and '
        + link.expiryDays + ' days after it was made unless it was made to never expire: then make a new one and set SLACK_INVITE_URL.';
    }
  }

  async function open() {
    login.hidden = true;
    board.hidden = false;
    try { await load(); } catch (e) { /* shown by api() */ }
  }

  login.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = document.getElementById('token').value.trim();
    if (!token) { loginError.textContent = 'Please enter the operator token.'; return; }
    sessionStorage.setItem(KEY, token);
    open();
  });
  document.getElementById('filter').addEventListener('change', (event) => {
    state.status = event.target.value;
    state.cursors = [''];
    state.page = 0;
    load().catch(() => {});
  });
  // one person's sign-up, by the address they gave (Enter, or clearing the box, shows the listing again)
  document.getElementById('find').addEventListener('change', (event) => {
    state.email = event.target.value.trim();
    state.cursors = [''];
    state.page = 0;
    load().catch(() => {});
  });
  document.getElementById('older').addEventListener('click', () => {
    if (!state.next) return;
    state.cursors[state.page + 1] = state.next;
    state.page++;
    load().catch(() => {});
  });
  document.getElementById('newer').addEventListener('click', () => {
    if (state.page > 0) state.page--;
    load().catch(() => {});
  });
  // After an outage of ActiveCampaign or Slack, every sign-up of that time failed: one click runs their failed steps
  // again, one redrive at a time through the operator API. The ids come first, since a redriven one leaves the
  // failed listing (its pages would shift under a cursor).
  document.getElementById('redrive-failed').addEventListener('click', async (event) => {
    const button = event.target;
    const bulk = document.getElementById('bulk');
    button.disabled = true;
    try {
      const ids = [];
      let cursor = '';
      do {
        const page = await (await api('/executions?status=FAILED&limit=100' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''))).json();
        page.executions.forEach((e) => ids.push(e.executionId));
        cursor = page.nextCursor;
      } while (cursor);
      if (!ids.length) { bulk.textContent = 'No failed sign-ups to redrive.'; return; }
      if (!window.confirm('Run the failed steps of ' + ids.length + ' failed sign-up' + (ids.length === 1 ? '' : 's') + ' again?')) return;
      let redriven = 0;
      const refused = [];
      for (const id of ids) {
        const res = await api('/executions/' + encodeURIComponent(id) + '/redrive', 'POST');
        if (res.status === 202) redriven++;
        else refused.push(((await res.json().catch(() => ({}))).error) || 'HTTP ' + res.status);
        bulk.textContent = 'Redriving: ' + (redriven + refused.length) + ' of ' + ids.length + '…';
      }
      bulk.textContent = 'Redriven ' + redriven + ' of ' + ids.length + ' failed sign-ups'
        + (refused.length ? '; ' + refused.length + ' not: ' + refused[0] : '') + '.';
      await load();
    } catch (e) { /* shown by api() */ } finally { button.disabled = false; }
  });
  // every member as CSV, for a spreadsheet: fetched with the token (a plain link could not send it), then saved
  document.getElementById('export').addEventListener('click', async (event) => {
    const button = event.target;
    const bulk = document.getElementById('bulk');
    button.disabled = true;
    try {
      const res = await api('/members');
      if (res.status !== 200) {
        bulk.textContent = ((await res.json().catch(() => ({}))).error) || 'The export was refused.';
        return;
      }
      const name = (/filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '') || [])[1] || 'members.csv';
      const link = el('a');
      link.href = URL.createObjectURL(await res.blob());
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60000);
      bulk.textContent = 'Saved ' + name + '.';
    } catch (e) { /* shown by api() */ } finally { button.disabled = false; }
  });
  setInterval(() => { if (!board.hidden && state.page === 0) load().catch(() => {}); }, 5000);
  if (sessionStorage.getItem(KEY)) open(); else showLogin();
})();
