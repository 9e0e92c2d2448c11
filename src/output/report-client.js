// ct-report's page script (browser code, inlined into the page by report-page.ts): reads the
// JSON block, draws the charts with Chart.js and fills the sortable table. Event text only ever
// goes in as text (textContent, chart labels), never as HTML.
/* global Chart, document */
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('report-data').textContent);
  // Tableau 10, then grey for "other".
  const COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  const colour = (i, name) => (/^\d+ other$/.test(name) ? '#cccccc' : COLOURS[i % COLOURS.length]);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  const facts = document.getElementById('facts');
  facts.textContent =
    data.events === 0
      ? 'No events.'
      : `${data.events.toLocaleString('en')} events` +
        (data.first ? `, ${data.first} to ${data.last} (UTC)` : '') +
        (data.untimed ? `; ${data.untimed} without a readable eventTime are not on the timeline` : '') +
        `. Bars of ${minutes(data.bucketMinutes)}.`;
  document.getElementById('timeline-title').textContent = `Events over time, by ${data.by}`;

  new Chart(document.getElementById('timeline'), {
    type: 'bar',
    data: {
      labels: data.buckets.map((b) => b.replace('T', ' ').replace(/:00Z$|Z$/, '')),
      datasets: data.series.map((s, i) => ({ label: s.name, data: s.counts, backgroundColor: colour(i, s.name), stack: 'events' })),
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'events' } } } },
  });

  const tops = document.getElementById('tops');
  for (const list of data.top) {
    const box = document.createElement('section');
    const heading = document.createElement('h2');
    heading.textContent = `Top ${list.title.toLowerCase()} (${list.field})`;
    const holder = document.createElement('div');
    holder.className = 'chart';
    const canvas = document.createElement('canvas');
    canvas.id = `top-${list.field}`;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', heading.textContent);
    holder.appendChild(canvas);
    box.append(heading, holder);
    tops.appendChild(box);
    if (list.rows.length === 0) {
      const none = document.createElement('p');
      none.className = 'note';
      none.textContent = list.field === 'errorCode' ? 'No call failed.' : 'None.';
      holder.replaceWith(none);
      continue;
    }
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: list.rows.map(([name]) => (name.length > 60 ? `${name.slice(0, 59)}…` : name)),
        datasets: [{ label: 'events', data: list.rows.map(([, n]) => n), backgroundColor: COLOURS[0] }],
      },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } },
    });
  }

  const table = document.getElementById('events');
  const head = table.tHead.rows[0];
  const body = table.tBodies[0];
  const consoleColumn = data.columns.length - 1;
  const errorColumn = data.columns.indexOf('Error code');
  data.columns.forEach((name, i) => {
    const th = document.createElement('th');
    th.textContent = name;
    th.scope = 'col';
    th.addEventListener('click', () => sortBy(i, th));
    head.appendChild(th);
  });
  const rows = data.rows.map((cells) => {
    const tr = document.createElement('tr');
    cells.forEach((text, i) => {
      const td = document.createElement('td');
      if (i === consoleColumn && /^https:\/\/[a-z0-9.-]+\.(amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)\//.test(text)) {
        const a = document.createElement('a');
        a.href = text;
        a.rel = 'noreferrer';
        a.target = '_blank';
        a.textContent = 'open';
        td.appendChild(a);
      } else td.textContent = text;
      if (i === errorColumn && text) td.className = 'error';
      tr.appendChild(td);
    });
    return { cells, tr };
  });
  for (const r of rows) body.appendChild(r.tr);
  document.getElementById('rows-note').textContent =
    data.rows.length < data.events
      ? `The first ${data.rows.length.toLocaleString('en')} of ${data.events.toLocaleString('en')} events, as read (--rows sets how many). Click a heading to sort.`
      : 'Click a heading to sort.';

  function sortBy(column, th) {
    const ascending = th.getAttribute('aria-sort') !== 'ascending';
    for (const other of head.cells) other.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    const sorted = rows.slice().sort((a, b) => {
      const x = a.cells[column];
      const y = b.cells[column];
      if (x === y) return 0;
      if (x === '') return 1;
      if (y === '') return -1;
      return (x < y ? -1 : 1) * (ascending ? 1 : -1);
    });
    for (const r of sorted) body.appendChild(r.tr);
  }

  function minutes(n) {
    if (n % 1440 === 0) return n === 1440 ? 'one day' : `${n / 1440} days`;
    if (n % 60 === 0) return n === 60 ? 'one hour' : `${n / 60} hours`;
    return n === 1 ? 'one minute' : `${n} minutes`;
  }
})();
