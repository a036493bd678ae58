// The admin page: shows the host's telemetry state and changes it through the REST API.
// The browser reuses the page's HTTP Basic credentials for these same-origin requests.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const el = {
    main: document.querySelector('main'),
    message: $('message'),
    installation: $('installation-id'),
    switchButton: $('telemetry-switch'),
    state: $('telemetry-state'),
    endpoint: $('endpoint'),
    forbidden: $('sending-forbidden'),
    lastSend: $('last-send'),
    nextSend: $('next-send'),
    initialSent: $('initial-report-sent'),
    licenseState: $('license-state'),
    licenseForm: $('license-form'),
    licenseInput: $('license-key-input'),
    licenseSet: $('license-set'),
    licenseRemove: $('license-remove'),
    preview: $('report-preview'),
    previewTime: $('report-time'),
    refresh: $('report-refresh'),
    legal: $('legal-note'),
    legalText: $('legal-note-text'),
    legalConfirm: $('legal-confirm'),
    legalCancel: $('legal-cancel'),
    question: $('opt-in-question'),
    questionText: $('opt-in-question-text'),
    questionEnable: $('opt-in-enable'),
    questionDisable: $('opt-in-disable'),
    questionLater: $('opt-in-later'),
    deletionsPending: $('deletions-pending'),
    deletionRequest: $('deletion-request'),
    deletionConfirm: $('deletion-confirm'),
    deletionYes: $('deletion-confirm-yes'),
    deletionNo: $('deletion-confirm-no'),
  };

  let status = null; // the last answer of GET /telemetry/status
  let busy = false; // a change is on its way; controls stay disabled until it is answered
  let statusSeq = 0; // only the newest answer of each kind is shown
  let previewSeq = 0;

  /** An API error: the server's {"error", "field"} or what went wrong on the way. */
  class ApiError extends Error {}

  async function api(method, path, body, contentType) {
    const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
    if (body !== undefined) {
      init.body = body;
      init.headers['Content-Type'] = contentType;
    }
    let response;
    try {
      // Absolute, from the origin: opened as http://user:pw@host/admin, a relative path would
      // carry the credentials, and fetch() refuses such a URL ("cannot be constructed from a
      // URL that includes credentials"). The browser still sends the login it has for the site.
      response = await fetch(new URL(path, window.location.origin), init);
    } catch (e) {
      throw new ApiError(`${method} ${path}: no answer from the server (${e.message})`);
    }
    if (response.ok) return response;
    let detail = '';
    try {
      const text = await response.text();
      try {
        const json = JSON.parse(text);
        detail = json.error || text;
        if (json.field) detail += ` (field: ${json.field})`;
      } catch (_) {
        detail = text.trim();
      }
    } catch (_) {
      // the status line says enough
    }
    const reason = response.statusText ? ` ${response.statusText}` : '';
    const what = `${method} ${path}: HTTP ${response.status}${reason}`;
    throw new ApiError(detail ? `${what}: ${detail}` : what);
  }

  function say(text, kind) {
    el.message.textContent = text;
    el.message.className = kind || '';
    // Errors interrupt a screen reader; confirmations wait their turn.
    el.message.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  }

  function setBusy(value) {
    busy = value;
    el.main.setAttribute('aria-busy', String(value));
    renderControls();
  }

  function renderControls() {
    const known = status !== null;
    el.switchButton.disabled = busy || !known;
    el.licenseSet.disabled = busy || !known;
    el.licenseRemove.disabled = busy || !known || !status['license-key-stored'];
    el.legalConfirm.disabled = busy || !known || !status['legal-note'];
    el.questionEnable.disabled = busy || !known || !status['legal-note'];
    el.questionDisable.disabled = busy || !known;
    el.deletionRequest.disabled = busy || !known;
    el.deletionYes.disabled = busy || !known;
  }

  function renderStatus() {
    const s = status;
    el.installation.textContent = s.installation;
    el.switchButton.setAttribute('aria-checked', String(s.enabled));
    el.state.textContent = s.enabled ? 'enabled' : 'disabled';
    if (s['opt-in'] === 'unset') el.state.textContent += ' (not decided yet)';
    el.endpoint.textContent = s.endpoint || '(none)';

    // The configuration (reporter-activate: false, DO_NOT_TRACK) can forbid every send.
    const forbidden = s['sending-forbidden'];
    el.forbidden.textContent = forbidden
      ? `Nothing is sent, not even the initial report: ${forbidden}`
      : '';
    el.forbidden.hidden = !forbidden;

    const last = s['last-send'];
    if (last) {
      let result;
      if (last['http-status'] !== null && last['http-status'] !== undefined) {
        result = `HTTP ${last['http-status']}`;
        if (last.error) result += `, ${last.error}`;
      } else {
        result = `failed: ${last.error || 'no answer'}`;
      }
      el.lastSend.textContent = `${last.time}, ${last.kind} report: ${result}`;
    } else {
      el.lastSend.textContent = 'never';
    }

    if (s['next-send']) {
      el.nextSend.textContent = s['next-send'];
    } else if (!s.enabled) {
      el.nextSend.textContent = 'none: telemetry is disabled';
    } else if (forbidden) {
      el.nextSend.textContent = 'none: sending is not allowed';
    } else {
      el.nextSend.textContent = 'one reporting period after the daemon started';
    }
    el.initialSent.textContent =
      s['initial-report-sent'] ||
      (s['initial-report-waived'] ? 'never: waived by the deletion request' : 'not yet');
    const pending = s['pending-deletions'] || [];
    el.deletionsPending.textContent =
      pending.length > 0
        ? `Deletion requested, not yet acknowledged by the collector, for: ${pending.join(', ')}`
        : '';
    el.deletionsPending.hidden = pending.length === 0;
    el.licenseState.textContent = s['license-key-stored']
      ? 'A license key is stored; the report carries it without its signature.'
      : 'No license key is stored.';
    renderControls();
  }

  async function loadStatus() {
    const seq = ++statusSeq;
    const response = await api('GET', '/telemetry/status');
    const body = await response.json();
    if (seq !== statusSeq) return;
    status = body;
    renderStatus();
  }

  /** What hovering a field shows: what it is, why it is collected, what fills it. */
  function fieldTitle(field) {
    const filledBy = field['filled-by'];
    if (!field.description) {
      return filledBy ? `undocumented (filled by ${filledBy})` : 'undocumented';
    }
    let title = field.description;
    if (field.purpose) title += `\nWhy: ${field.purpose}`;
    if (filledBy) title += `\nFilled by: ${filledBy}`;
    return title;
  }

  /**
   * The report as JSON.stringify(report, null, 2) writes it, each member or item's first
   * line a span whose title explains the field (GET /telemetry/data/explained). Text only:
   * nothing from the report or a plugin becomes markup.
   */
  function explainedJson(report, fields) {
    const titles = new Map(fields.map((f) => [f.pointer, fieldTitle(f)]));
    const out = document.createDocumentFragment();
    const text = (s) => out.appendChild(document.createTextNode(s));
    const token = (name) => String(name).replace(/~/g, '~0').replace(/\//g, '~1');
    function write(value, pointer, indent, label) {
      const isArray = Array.isArray(value);
      const isObject = value !== null && typeof value === 'object';
      let entries = [];
      if (isArray) entries = value.map((v, i) => [i, v]);
      else if (isObject) entries = Object.entries(value);
      let head = label;
      if (!isObject) head += JSON.stringify(value);
      else if (entries.length === 0) head += isArray ? '[]' : '{}';
      else head += isArray ? '[' : '{';
      if (pointer === '') {
        text(head);
      } else {
        const span = document.createElement('span');
        span.className = 'field';
        span.dataset.pointer = pointer;
        span.title = titles.get(pointer) || 'undocumented';
        span.textContent = head;
        out.appendChild(span);
      }
      if (entries.length === 0) return;
      const inner = ' '.repeat(indent + 2);
      entries.forEach(([key, child], i) => {
        text(`\n${inner}`);
        const label = isArray ? '' : `${JSON.stringify(key)}: `;
        write(child, `${pointer}/${token(key)}`, indent + 2, label);
        if (i + 1 < entries.length) text(',');
      });
      text(`\n${' '.repeat(indent)}${isArray ? ']' : '}'}`);
    }
    write(report, '', 0, '');
    return out;
  }

  async function loadPreview() {
    const seq = ++previewSeq;
    el.preview.dataset.state = 'loading';
    el.preview.setAttribute('aria-busy', 'true');
    el.refresh.disabled = true;
    try {
      const response = await api('GET', '/telemetry/data/explained');
      const text = await response.text();
      if (seq !== previewSeq) return;
      try {
        const explained = JSON.parse(text);
        el.preview.replaceChildren(explainedJson(explained.report, explained.fields));
      } catch (_) {
        el.preview.textContent = text;
      }
      el.preview.dataset.state = 'ready';
      el.previewTime.textContent = `as of ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      if (seq !== previewSeq) return;
      el.preview.textContent = '';
      el.preview.dataset.state = 'error';
      el.previewTime.textContent = '';
      throw e;
    } finally {
      if (seq === previewSeq) {
        el.preview.setAttribute('aria-busy', 'false');
        el.refresh.disabled = false;
      }
    }
  }

  /** Status and preview again, after a change or on request; errors go to the message line. */
  async function reload() {
    const results = await Promise.allSettled([loadStatus(), loadPreview()]);
    const failed = results.filter((r) => r.status === 'rejected').map((r) => r.reason.message);
    if (failed.length > 0) throw new ApiError(failed.join('; '));
  }

  /** Runs a change against the API, then shows the state as the server now has it. */
  async function change(action, success) {
    if (busy) return false;
    // Controls are disabled while the change is on its way, which takes their focus away.
    const focused = document.activeElement;
    setBusy(true);
    say('saving…');
    try {
      await action();
    } catch (e) {
      say(e.message, 'error');
      try {
        await loadStatus();
      } catch (_) {
        // the first error is the one to show
      }
      done(focused);
      return false;
    }
    try {
      await reload();
      say(success, 'ok');
    } catch (e) {
      say(`${success}, but the page could not be brought up to date: ${e.message}`, 'error');
    }
    done(focused);
    return true;
  }

  function done(focused) {
    setBusy(false);
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (lost && focused && focused !== document.body && focused.isConnected) focused.focus();
  }

  function setEnabled(enabled) {
    return change(
      () =>
        api(
          'POST',
          '/telemetry/configuration',
          JSON.stringify({ enableTelemetry: enabled }),
          'application/json',
        ),
      enabled ? 'Telemetry enabled.' : 'Telemetry disabled.',
    );
  }

  function openLegalNote() {
    const note = status['legal-note'];
    el.legalText.textContent =
      note || 'The server sent no legal note, so telemetry cannot be enabled here.';
    renderControls();
    el.legal.showModal();
    (note ? el.legalConfirm : el.legalCancel).focus();
  }

  function closeLegalNote() {
    if (el.legal.open) el.legal.close();
    el.switchButton.focus();
  }

  el.switchButton.addEventListener('click', () => {
    if (busy || status === null) return;
    if (status.enabled) {
      setEnabled(false);
    } else {
      openLegalNote();
    }
  });

  el.legalConfirm.addEventListener('click', async () => {
    closeLegalNote();
    await setEnabled(true);
  });
  el.legalCancel.addEventListener('click', () => {
    closeLegalNote();
    say('Telemetry stays disabled.');
  });
  // Escape closes the dialog: the same as Cancel.
  el.legal.addEventListener('cancel', () => {
    say('Telemetry stays disabled.');
    setTimeout(() => el.switchButton.focus(), 0);
  });

  /** Asks once per visit while nobody decided (Camunda's admin webapp does the same). */
  function askForDecision() {
    if (status === null || status['opt-in'] !== 'unset' || status['sending-forbidden']) return;
    el.questionText.textContent = status['legal-note'] || '';
    renderControls();
    el.question.showModal();
    el.questionLater.focus();
  }

  function answerQuestion(enabled) {
    el.question.close();
    el.switchButton.focus();
    if (enabled !== undefined) setEnabled(enabled);
  }

  el.questionEnable.addEventListener('click', () => answerQuestion(true));
  el.questionDisable.addEventListener('click', () => answerQuestion(false));
  el.questionLater.addEventListener('click', () => {
    answerQuestion(undefined);
    say('Not decided yet: only the initial report is sent.');
  });
  // Escape: the same as Decide later.
  el.question.addEventListener('cancel', () => {
    say('Not decided yet: only the initial report is sent.');
    setTimeout(() => el.switchButton.focus(), 0);
  });

  el.deletionRequest.addEventListener('click', () => {
    if (busy || status === null) return;
    renderControls();
    el.deletionConfirm.showModal();
    el.deletionNo.focus();
  });
  el.deletionNo.addEventListener('click', () => {
    el.deletionConfirm.close();
    el.deletionRequest.focus();
    say('Nothing was deleted.');
  });
  el.deletionConfirm.addEventListener('cancel', () => {
    say('Nothing was deleted.');
    setTimeout(() => el.deletionRequest.focus(), 0);
  });
  el.deletionYes.addEventListener('click', () => {
    el.deletionConfirm.close();
    el.deletionRequest.focus();
    change(
      () => api('POST', '/telemetry/deletion-request', '{}', 'application/json'),
      'Telemetry disabled; the deletion request is on its way to the collector.',
    );
  });

  el.licenseForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = el.licenseInput.value.trim();
    if (key === '') {
      say('Paste a license key first.', 'error');
      el.licenseInput.focus();
      return;
    }
    change(
      () => api('PUT', '/telemetry/license-key', key, 'text/plain; charset=utf-8'),
      'License key stored.',
    ).then((ok) => {
      if (ok) el.licenseInput.value = '';
    });
  });

  el.licenseRemove.addEventListener('click', () => {
    change(() => api('DELETE', '/telemetry/license-key'), 'License key removed.');
  });

  el.refresh.addEventListener('click', async () => {
    try {
      await reload();
      say('Up to date.', 'ok');
    } catch (e) {
      say(e.message, 'error');
    }
  });

  setBusy(true);
  reload()
    .catch((e) => say(e.message, 'error'))
    .finally(() => {
      setBusy(false);
      askForDecision();
    });
})();
