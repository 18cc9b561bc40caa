// The sign-up page: checks the fields as the server will, posts the sign-up, then follows its execution,
// step by step, until it ends, and says what happened in words a visitor understands. Uses only the public API.
'use strict';
(function () {
  const form = document.getElementById('signup');
  const progress = document.getElementById('progress');
  const outcome = document.getElementById('outcome');
  const button = form.querySelector('button');
  // the steps as the routes declare them (name, a visitor's words while it runs and when it went through)
  const steps = {};
  JSON.parse(progress.querySelector('ol').dataset.steps || '[]').forEach((s) => { steps[s.name] = s; });
  const label = (step) => (steps[step] ? steps[step].label : step);
  const signIn = form.dataset.signin;

  function setError(field, message) {
    const input = document.getElementById(field);
    const error = document.getElementById(field + '-error');
    if (!error) return;
    error.textContent = message || '';
    if (input) input.setAttribute('aria-invalid', message ? 'true' : 'false');
  }

  // The same rules as the server's validation (DESIGN.md): one @, a dotted domain, at most 254 characters.
  function emailProblem(email) {
    if (!email) return 'Please enter your e-mail address.';
    if (email.length > 254) return 'That address is too long.';
    const at = email.indexOf('@');
    if (at < 1 || at !== email.lastIndexOf('@')) return 'That does not look like an e-mail address.';
    if (/[\s<>()[\]\\,;:"]/.test(email)) return 'That does not look like an e-mail address.';
    const labels = email.slice(at + 1).split('.');
    if (labels.length < 2 || labels.some((l) => !l || l.startsWith('-') || l.endsWith('-')) || labels[labels.length - 1].length < 2) {
      return 'Please check the part after the @ (like example.org).';
    }
    return '';
  }

  function validate() {
    const name = form.name.value.trim();
    const email = form.email.value.trim().toLowerCase();
    const problems = {};
    if (!name) problems.name = 'Please tell us your name.';
    else if (name.length > 201 || name.split(' ').some((part) => part.length > 100)) problems.name = 'That name is too long.';
    else if (/[\u0000-\u001f\u007f]/.test(name)) problems.name = 'Please use letters, not control characters.';
    const e = emailProblem(email);
    if (e) problems.email = e;
    if (form.coc && !form.coc.checked) problems.coc = 'Please accept the code of conduct.';
    ['name', 'email', 'coc'].forEach((f) => setError(f, problems[f]));
    const first = Object.keys(problems)[0];
    if (first) document.getElementById(first).focus();
    const captcha = form.querySelector('[name="cf-turnstile-response"], [name="h-captcha-response"]');
    if (first) return null;
    return { name, email, website: form.website.value, coc: form.coc ? form.coc.checked : undefined, captcha: captcha ? captcha.value : undefined };
  }

  function render(execution) {
    const list = progress.querySelector('ol');
    list.textContent = '';
    // the execution's own steps, in its order: those of the fan-out when it was accepted
    Object.keys(execution.results || {}).forEach((step) => {
      // a step the community has not configured (SKIPPED on every sign-up) is not the visitor's concern
      if (steps[step] && steps[step].shown === false) return;
      const result = execution.results[step];
      const li = document.createElement('li');
      const name = document.createElement('span');
      name.textContent = label(step);
      const badge = document.createElement('span');
      const retrying = result.status === 'RUNNING' && result.error;
      badge.className = 'badge ' + result.status;
      badge.textContent = retrying ? 'retrying' : result.status.toLowerCase();
      li.append(name, badge);
      list.append(li);
    });
  }

  // The outcome in words: what went through (ending with a link a visitor can follow, when a step hands one), then
  // what is left, if anything
  function say(message, link, after) {
    outcome.textContent = message;
    if (link) {
      const a = document.createElement('a');
      a.href = link;
      a.textContent = link.replace(/^https:\/\//, '');
      outcome.append(a, '.');
    }
    if (after) outcome.append((message || link ? ' ' : '') + after);
  }

  // a step the visitor's pages leave out (the organisers' notice) is not theirs to hear of, failed, queued or retried
  const theirs = (step) => !(steps[step] && steps[step].shown === false);
  const ended = (r) => r.status === 'SUCCEEDED' || r.status === 'FAILED' || r.status === 'SKIPPED';

  // a step waits for an organiser (it may take days) and nothing else is left to do: no use following it
  function onlyWaiting(execution) {
    const results = Object.entries(execution.results || {}).filter(([s]) => theirs(s)).map(([, r]) => r);
    return results.some((r) => r.status === 'WAITING') && !results.some((r) => r.status === 'RUNNING' || r.status === 'PENDING');
  }

  // the execution's status as it concerns the visitor: every step of theirs has ended, whatever the others do
  function forVisitor(execution) {
    const results = Object.entries(execution.results || {}).filter(([s]) => theirs(s)).map(([, r]) => r);
    if (!results.every(ended)) return 'RUNNING';
    return results.some((r) => r.status === 'FAILED') ? 'FAILED' : 'SUCCEEDED';
  }

  // What the steps that went through tell the visitor, as [words, link]: the invite's words and the link to follow
  // come first whatever the other steps did, for in link mode the link is the only way in
  function handed(results, names) {
    const detail = (d) => names.some((s) => results[s].detail === d);
    if (detail('already_invited')) {
      return ['You were already invited: look for the earlier invite in your inbox' + (signIn ? ', or sign in at ' : '.'), signIn];
    }
    if (detail('already_in_team')) return ['You are already a member' + (signIn ? ': sign in at ' : '.'), signIn];
    const done = names.filter((s) => results[s].status === 'SUCCEEDED' && steps[s] && steps[s].done).map((s) => steps[s].done).join(' ');
    // a step that hands over a link (InviteSlack in link mode): its words, then the link
    const invite = names.find((s) => results[s].status === 'SUCCEEDED' && results[s].inviteUrl);
    if (invite && /^https:\/\//.test(results[invite].inviteUrl)) return [done ? done + ' ' : '', results[invite].inviteUrl];
    return [done, null];
  }

  function finish(execution) {
    const results = execution.results || {};
    const names = Object.keys(results);
    const [message, link] = handed(results, names);
    const something = message || link;
    let after = null;
    const failed = names.filter((s) => results[s].status === 'FAILED' && theirs(s));
    const status = forVisitor(execution);
    if (status === 'SUCCEEDED') {
      if (!something) after = 'You are signed up. We will be in touch.';
    } else if (status === 'FAILED') {
      const doing = failed.map((s) => label(s).charAt(0).toLowerCase() + label(s).slice(1));
      after = 'Sorry, something went wrong while ' + doing.join(' and ') + '. ' + form.dataset.afterFailure.replace('{reference}', execution.executionId);
    } else if (onlyWaiting(execution)) {
      after = 'Thank you! An organiser will look at your request; you will get an e-mail.';
    } else {
      const retrying = names.some((s) => theirs(s) && results[s].status === 'RUNNING' && results[s].error);
      after = retrying ? 'Still trying: one of the services is slow to answer. You can leave this page; we will keep going.'
        : something ? 'Working on the rest…' : 'Working on it…';
    }
    say(message, link, after);
    document.getElementById('reference').textContent = 'Reference: ' + execution.executionId;
  }

  async function follow(url) {
    for (;;) {
      const res = await fetch(url, { headers: { Accept: 'application/json' } });
      if (!res.ok) { outcome.textContent = 'We could not follow your sign-up. It is stored; we will finish it.'; return; }
      const execution = await res.json();
      render(execution);
      finish(execution);
      if (forVisitor(execution) !== 'RUNNING' || onlyWaiting(execution)) { progress.focus(); return; }
      await new Promise((r) => setTimeout(r, 800));
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = validate();
    if (!body) return;
    button.disabled = true;
    try {
      const res = await fetch('/signup', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
      const answer = await res.json().catch(() => ({}));
      if (res.status === 400 && answer.fields) {
        Object.entries(answer.fields).forEach(([f, why]) => setError(f === 'first_name' || f === 'last_name' ? 'name' : f, 'The server says: ' + why + '.'));
        return;
      }
      if (res.status !== 200 && res.status !== 202) {
        setError('email', answer.error ? answer.error.charAt(0).toUpperCase() + answer.error.slice(1) + '.' : 'Something went wrong; please try again.');
        return;
      }
      form.hidden = true;
      progress.hidden = false;
      if (answer.status === 'ALREADY_SIGNED_UP') {
        // the server tells nothing of that earlier sign-up, only that there was one; the words are the invite mode's,
        // and in link mode the answer hands the link again, as it does to any sign-up
        progress.querySelector('ol').textContent = '';
        const invite = /^https:\/\//.test(answer.inviteUrl || '') && form.dataset.repeatInvite;
        say(invite ? form.dataset.repeatInvite : form.dataset.repeat, invite ? answer.inviteUrl : form.dataset.repeatLink);
        progress.focus();
        return;
      }
      outcome.textContent = 'Working on it…';
      await follow(res.headers.get('Location') || answer.statusUrl || '/signup/' + answer.executionId);
    } catch (e) {
      setError('email', 'We could not reach the server; please try again.');
    } finally {
      button.disabled = false;
    }
  });
})();
