// Slipway dashboard: live runs, the live build log and the environment actions. Plain browser JavaScript, no library.
// Live updates come from GET /events (Server-Sent Events): "run", "log" and "environment" events whose data is
// {"kind","runId","attempt","repository","environment"}, and "ping" heartbeats.
(function () {
  'use strict';

  var source = null;
  function events() {
    if (!source && window.EventSource) {
      source = new EventSource('/events');
    }
    return source;
  }

  function data(event) {
    try {
      return JSON.parse(event.data);
    } catch (e) {
      return {};
    }
  }

  // A refresher that never runs twice at once and runs once more when asked while running.
  function serial(work) {
    var running = false;
    var again = false;
    function run() {
      if (running) {
        again = true;
        return;
      }
      running = true;
      again = false;
      Promise.resolve().then(work).catch(function () { }).then(function () {
        running = false;
        if (again) {
          run();
        }
      });
    }
    return run;
  }

  // HTML of this service at url, or a failed promise.
  function fetchHtml(url) {
    return fetch(url, { headers: { Accept: 'text/html' } }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ': ' + response.status);
      }
      return response.text();
    });
  }

  // The runs page: the newest page's rows are fetched again whenever a run changes.
  function followRuns(body) {
    var refresh = serial(function () {
      return fetchHtml(body.dataset.live).then(function (html) {
        var before = {};
        body.querySelectorAll('tr[data-run]').forEach(function (row) {
          before[row.dataset.run + '/' + row.dataset.attempt] = row.dataset.stage + '/' + row.dataset.status;
        });
        // The fragment comes from this service, every value in it escaped on the server.
        body.innerHTML = html;
        body.querySelectorAll('tr[data-run]').forEach(function (row) {
          if (before[row.dataset.run + '/' + row.dataset.attempt] !== row.dataset.stage + '/' + row.dataset.status) {
            row.classList.add('fresh');
          }
        });
      });
    });
    var stream = events();
    if (stream) {
      stream.addEventListener('run', refresh);
      stream.addEventListener('open', refresh);
    }
  }

  // The run page: the build log is read in slices from chunk "next" on, again whenever the log of this attempt grows.
  function followLog(pre) {
    var article = document.querySelector('article.run');
    var state = document.getElementById('log-state');
    var next = 0;
    var load = serial(function () {
      return fetch(pre.dataset.log + '?from=' + next, { headers: { Accept: 'application/json' } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error('log: ' + response.status);
          }
          return response.json();
        }).then(function (slice) {
          var atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
          if (slice.text) {
            pre.appendChild(document.createTextNode(slice.text));
          }
          if (slice.truncated) {
            state.textContent = 'truncated: later output was dropped at the log limit';
          }
          if (atBottom) {
            pre.scrollTop = pre.scrollHeight;
          }
          var advanced = slice.next > next;
          next = Math.max(next, slice.next);
          if (advanced) {
            load();
          }
        });
    });
    load();
    var stream = events();
    if (stream) {
      stream.addEventListener('log', function (event) {
        var change = data(event);
        if (change.runId === article.dataset.run && String(change.attempt) === article.dataset.attempt) {
          load();
        }
      });
      stream.addEventListener('open', load);
      // The rest of the page is as it was when loaded; a change of this run offers to show it anew.
      stream.addEventListener('run', function (event) {
        var change = data(event);
        if (change.runId === article.dataset.run && String(change.attempt) === article.dataset.attempt) {
          document.getElementById('run-changed').hidden = false;
        }
      });
    }
  }

  // The environments page: fetched again when an environment changes; the result of an action stays shown.
  function followEnvironments(container) {
    var refresh = serial(function () {
      return fetchHtml(container.dataset.live).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('environments');
        if (fresh) {
          container.replaceChildren.apply(container, Array.prototype.slice.call(fresh.childNodes));
        }
      });
    });
    var stream = events();
    if (stream) {
      stream.addEventListener('environment', refresh);
    }
  }

  // The environments page: Approve and Roll back ask for the operator token once per tab (sessionStorage only).
  var TOKEN = 'slipway.operatorToken';
  function act(button) {
    var result = document.getElementById('action-result');
    var token = window.sessionStorage.getItem(TOKEN);
    if (!token) {
      token = window.prompt('Operator token (kept in this tab only)');
      if (!token) {
        return;
      }
      window.sessionStorage.setItem(TOKEN, token.trim());
      token = token.trim();
    }
    var approve = button.classList.contains('approve');
    var body = approve
      ? { run: button.dataset.run, environment: button.dataset.environment }
      : { repository: button.dataset.repository, environment: button.dataset.environment };
    if (!approve && button.dataset.digest) {
      body.digest = button.dataset.digest;
    }
    button.disabled = true;
    result.textContent = (approve ? 'Approving…' : 'Rolling back…');
    fetch(approve ? '/actions/approve' : '/actions/rollback', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: 'Bearer ' + token },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 401) {
        window.sessionStorage.removeItem(TOKEN);
      }
      return response.json().catch(function () { return {}; }).then(function (answer) {
        result.textContent = response.status + ' ' + (answer.status ? answer.status + ': ' : '') + (answer.message || '');
      });
    }).catch(function (error) {
      result.textContent = 'The dashboard could not be reached: ' + error;
    }).then(function () {
      button.disabled = false;
    });
  }

  // A page left for another (or kept in the back/forward cache) stops following; one shown again starts afresh.
  window.addEventListener('pagehide', function () {
    if (source) {
      source.close();
      source = null;
    }
  });
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) {
      window.location.reload();
    }
  });

  document.addEventListener('click', function (event) {
    var button = event.target.closest('button.approve, button.rollback');
    if (button) {
      act(button);
    }
  });

  var rows = document.getElementById('run-rows');
  if (rows && rows.dataset.live !== undefined) {
    followRuns(rows);
  }
  var environments = document.getElementById('environments');
  if (environments) {
    followEnvironments(environments);
  }
  var log = document.getElementById('log');
  if (log) {
    followLog(log);
  }
}());
