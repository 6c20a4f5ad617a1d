// The local heat map page: searches the readings and alerts indices through the page's own server
// (/es/readings/_search, /es/alerts/_search) and draws, with plain SVG,
//   - per network, max temperature by node x time, the colour scale anchored at the alert threshold T;
//   - the sensors at their positions, coloured by latest temperature, with each alert's chain as a path;
//   - each fire's incident at its latest message: the burnt area (hull), the heading as an arrow from its
//     centroid, and its stage, size and spread in the list.
// It searches again every few seconds. Every drawn element carries data-* attributes naming what it shows.
'use strict';
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const params = new URLSearchParams(location.search);
  const COLD = [49, 54, 149];      // T - 50 °C and below
  const WARM = [254, 224, 144];    // just below T
  const HOT = [230, 30, 30];       // T
  const HOTTEST = [110, 0, 0];     // T + 50 °C and above
  let config;
  let rounds = 0;

  function svg(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (parent) parent.appendChild(node);
    return node;
  }

  function clamp(k) { return Math.max(0, Math.min(1, k)); }
  function mix(a, b, k) { return a.map((v, i) => Math.round(v + (b[i] - v) * k)); }
  function rgb(c) { return 'rgb(' + c.join(',') + ')'; }

  /** The colour of a temperature: blue to pale yellow below T, red from T on — the jump is the alert line. */
  function colour(t) {
    const T = config.threshold;
    if (t >= T) return rgb(mix(HOT, HOTTEST, clamp((t - T) / 50)));
    return rgb(mix(COLD, WARM, clamp((t - (T - 50)) / 50)));
  }

  function byNodeId(a, b) {
    const na = /^\d+$/.test(a), nb = /^\d+$/.test(b);
    if (na && nb) return Number(a) - Number(b);
    if (na !== nb) return na ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function count(n, what) { return n + ' ' + what + (n === 1 ? '' : 's'); }

  function hhmm(ms) { return new Date(ms).toISOString().slice(11, 16); }

  async function search(which, body) {
    const response = await fetch('es/' + which + '/_search', {
      method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
    const text = await response.text();
    if (!response.ok) throw new Error(which + ' search failed (HTTP ' + response.status + '): ' + text.slice(0, 300));
    return JSON.parse(text);
  }

  function drawLegend() {
    const legend = document.getElementById('legend');
    legend.replaceChildren();
    const T = config.threshold;
    for (let i = 0; i < 50; i++) {
      const t = T - 50 + i * 2;
      svg('rect', {x: 10 + i * 8, y: 4, width: 8, height: 14, fill: colour(t)}, legend);
    }
    svg('line', {x1: 210, y1: 0, x2: 210, y2: 22, stroke: '#000', 'stroke-width': 2}, legend);
    svg('text', {x: 210, y: 36, 'text-anchor': 'middle'}, legend).textContent = 'T = ' + T + ' °C (alert threshold)';
    svg('text', {x: 10, y: 36}, legend).textContent = (T - 50) + ' °C';
    svg('text', {x: 410, y: 36, 'text-anchor': 'end'}, legend).textContent = (T + 50) + ' °C';
  }

  function drawHeatMaps(result, from, to, intervalMs) {
    const container = document.getElementById('heatmaps');
    container.replaceChildren();
    const start = Math.floor(from / intervalMs) * intervalMs;
    const columns = Math.floor((to - start) / intervalMs) + 1;
    const cw = Math.max(6, Math.min(24, Math.floor(720 / columns)));
    const ch = 16, left = 56, top = 4, bottom = 22;
    let cells = 0;
    for (const network of result.aggregations.networks.buckets) {
      const nodes = network.nodes.buckets.map(b => b).sort((a, b) => byNodeId(a.key, b.key));
      const title = document.createElement('div');
      title.className = 'network-title';
      title.textContent = 'network ' + network.key;
      container.appendChild(title);
      const chart = svg('svg', {class: 'heatmap', 'data-network': network.key,
        width: left + columns * cw + 8, height: top + nodes.length * ch + bottom}, container);
      svg('rect', {x: left, y: top, width: columns * cw, height: nodes.length * ch, fill: '#eee'}, chart);
      nodes.forEach((node, row) => {
        const y = top + row * ch;
        svg('text', {x: left - 6, y: y + ch - 4, 'text-anchor': 'end'}, chart).textContent = 'node ' + node.key;
        for (const bucket of node.time.buckets) {
          if (bucket.max.value === null) continue;
          const column = Math.round((bucket.key - start) / intervalMs);
          if (column < 0 || column >= columns) continue;
          const t = bucket.max.value;
          const cell = svg('rect', {class: 'cell', x: left + column * cw, y: y, width: cw - 1, height: ch - 1,
            fill: colour(t), 'data-network': network.key, 'data-node': node.key,
            'data-time': new Date(bucket.key).toISOString(), 'data-max': t, 'data-hot': t >= config.threshold}, chart);
          svg('title', {}, cell).textContent = 'node ' + node.key + ', ' + new Date(bucket.key).toISOString() + ': max ' + t + ' °C';
          cells++;
        }
      });
      for (let c = 0; c < columns; c += Math.max(1, Math.ceil(columns / 8))) {
        svg('text', {x: left + c * cw, y: top + nodes.length * ch + 15}, chart).textContent = hhmm(start + c * intervalMs);
      }
    }
    if (cells === 0) {
      const empty = document.createElement('p');
      empty.textContent = 'No readings between ' + new Date(from).toISOString() + ' and ' + new Date(to).toISOString() + '.';
      container.appendChild(empty);
    }
    return cells;
  }

  function drawMap(sensorResult, alertResult) {
    const map = document.getElementById('sensor-map');
    map.replaceChildren();
    const width = Number(map.getAttribute('width')), height = Number(map.getAttribute('height')), pad = 30;
    const sensors = [];
    for (const network of sensorResult.aggregations.networks.buckets) {
      for (const node of network.nodes.buckets) {
        const hit = node.latest.hits.hits[0];
        const source = hit && hit._source;
        if (source && source.location) {
          sensors.push({network: network.key, node: node.key, lat: source.location.lat, lon: source.location.lon,
            temperature: source.temperature, time: source.eventTime});
        }
      }
    }
    const alerts = alertResult.hits.hits.map(h => h._source);
    const points = sensors.map(s => [s.lat, s.lon]);
    for (const a of alerts) for (const o of a.onsets || []) if (o.location) points.push([o.location.lat, o.location.lon]);
    for (const a of alerts) for (const p of (a.incident && a.incident.hull) || []) points.push([p.lat, p.lon]);
    if (points.length === 0) {
      svg('text', {x: width / 2, y: height / 2, 'text-anchor': 'middle'}, map).textContent = 'No sensor has reported a position.';
      return {sensors: 0, chains: 0};
    }
    // A plain equirectangular projection around the sensors (no tiles: the page works offline).
    let minLat = Math.min(...points.map(p => p[0])), maxLat = Math.max(...points.map(p => p[0]));
    let minLon = Math.min(...points.map(p => p[1])), maxLon = Math.max(...points.map(p => p[1]));
    const kx = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
    const spanX = Math.max((maxLon - minLon) * kx, 0.005), spanY = Math.max(maxLat - minLat, 0.005);
    const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
    const offX = (width - spanX * scale) / 2, offY = (height - spanY * scale) / 2;
    const project = (lat, lon) => [offX + (lon - minLon) * kx * scale, offY + (maxLat - lat) * scale];

    // A fire still burning is drawn in orange; one announced out (all clear) in green, dashed: at a glance the
    // map tells them apart, as the list does.
    const out = incident => incident.stage === 'ALL_CLEAR';
    let areas = 0;
    let arrows = 0;
    for (const a of alerts) {
      const incident = a.incident;
      if (!incident) continue;
      const hull = incident.hull || [];
      if (hull.length >= 3) {
        const corners = hull.map(p => project(p.lat, p.lon).map(v => v.toFixed(1)).join(',')).join(' ');
        const area = svg('polygon', {class: 'burnt-area', points: corners, 'data-alert-id': a.alertId,
          'data-stage': incident.stage, 'data-area-km2': incident.areaKm2}, map);
        svg('title', {}, area).textContent = describe(a);
        areas++;
      }
      if (incident.centroid && incident.headingDegrees != null) {
        // An arrow from the centroid toward the heading, 40 px long (the page shows direction, not distance).
        const [x, y] = project(incident.centroid.lat, incident.centroid.lon);
        const rad = incident.headingDegrees * Math.PI / 180;
        const x2 = x + 40 * Math.sin(rad), y2 = y - 40 * Math.cos(rad);
        const arrow = svg('line', {class: 'heading', x1: x.toFixed(1), y1: y.toFixed(1), x2: x2.toFixed(1),
          y2: y2.toFixed(1), 'marker-end': out(incident) ? 'url(#arrow-head-out)' : 'url(#arrow-head)',
          'data-alert-id': a.alertId, 'data-stage': incident.stage, 'data-heading': incident.headingDegrees}, map);
        svg('title', {}, arrow).textContent = describe(a);
        arrows++;
      }
    }
    if (arrows > 0) {
      const defs = svg('defs', {}, map);
      for (const [id, cls] of [['arrow-head', 'heading-head'], ['arrow-head-out', 'heading-head out']]) {
        const marker = svg('marker', {id: id, viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 6,
          markerHeight: 6, orient: 'auto-start-reverse'}, defs);
        svg('path', {d: 'M0 0 L10 5 L0 10 z', class: cls}, marker);
      }
    }

    let chains = 0;
    for (const a of alerts) {
      const located = (a.onsets || []).filter(o => o.location);
      if (located.length < 2) continue;
      const d = located.map((o, i) => {
        const [x, y] = project(o.location.lat, o.location.lon);
        return (i === 0 ? 'M' : 'L') + x.toFixed(1) + ' ' + y.toFixed(1);
      }).join(' ');
      const path = svg('path', {class: 'chain', d: d, 'data-alert-id': a.alertId, 'data-network': a.network,
        'data-chain': (a.chain || []).join(',')}, map);
      svg('title', {}, path).textContent = 'alert ' + a.alertId + ': ' + (a.chain || []).join(' → ');
      chains++;
    }
    for (const s of sensors) {
      const [x, y] = project(s.lat, s.lon);
      const dot = svg('circle', {class: 'sensor', cx: x.toFixed(1), cy: y.toFixed(1), r: 7, fill: colour(s.temperature),
        'data-network': s.network, 'data-node': s.node, 'data-temperature': s.temperature,
        'data-hot': s.temperature >= config.threshold}, map);
      svg('title', {}, dot).textContent = 'node ' + s.node + ': ' + s.temperature + ' °C at ' + s.time;
      svg('text', {x: (x + 9).toFixed(1), y: (y + 4).toFixed(1)}, map).textContent = s.node;
    }

    const list = document.getElementById('alerts');
    list.replaceChildren();
    for (const a of alerts) {
      const item = document.createElement('li');
      item.dataset.alertId = a.alertId;
      item.dataset.stage = a.incident ? a.incident.stage : 'ALERT';
      item.textContent = describe(a);
      list.appendChild(item);
    }
    return {sensors: sensors.length, chains: chains, areas: areas};
  }

  const STAGES = {ALERT: 'alert', UPDATE: 'update', ALL_CLEAR: 'all clear'};
  const COMPASS = ['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW', 'W', 'WNW', 'NW', 'NNW'];

  /**
   * One line per fire: its chain, and its incident's latest stage, size and spread when there is one. After the
   * all clear the sensors are those that burnt and the heading the last one seen; an area only with a hull.
   */
  function describe(a) {
    let text = 'network ' + a.network + ': ' + (a.chain || []).join(' → ') + ', alert at ' + a.completedTime;
    const incident = a.incident;
    if (!incident) return text;
    const out = incident.stage === 'ALL_CLEAR';
    text += ' · ' + (STAGES[incident.stage] || incident.stage) + ' #' + incident.sequence + ' at ' + incident.sentTime
      + ': ' + count(incident.burningSensors, 'sensor') + (out ? ' burnt' : ' burning');
    if ((incident.hull || []).length >= 3) {
      text += ', ' + Number(incident.areaKm2).toFixed(2) + ' km²';
    }
    if (incident.headingDegrees != null) {
      const point = COMPASS[Math.round(incident.headingDegrees / 22.5) % 16];
      text += ', ' + (out ? 'last heading ' : 'heading ') + point + ' (' + Math.round(incident.headingDegrees) + '°)';
    }
    if (incident.rateOfSpreadMetresPerMinute != null) {
      text += ' at ' + Math.round(incident.rateOfSpreadMetresPerMinute) + ' m/min';
    }
    return text;
  }

  /** Where each drawn cell and sensor is on the page, for tools that look at screenshots. */
  function markPagePositions() {
    for (const node of document.querySelectorAll('rect.cell, circle.sensor')) {
      const box = node.getBoundingClientRect();
      node.setAttribute('data-page-x', Math.round(box.left + box.width / 2 + window.scrollX));
      node.setAttribute('data-page-y', Math.round(box.top + box.height / 2 + window.scrollY));
    }
  }

  async function refresh() {
    const newest = await search('readings', {size: 0, aggs: {newest: {max: {field: 'eventTime'}}}});
    const latest = newest.aggregations.newest.value;
    const to = params.get('until') === 'now' || latest === null ? Date.now() : latest;
    const windowMinutes = Number(params.get('window') || config.windowMinutes);
    const from = to - windowMinutes * 60000;
    const intervalMinutes = Math.max(1, Math.ceil(windowMinutes / 60));
    const range = {range: {eventTime: {gte: from, lte: to, format: 'epoch_millis'}}};
    const [cellsResult, sensorResult, alertResult] = await Promise.all([
      search('readings', {size: 0, query: range, aggs: {networks: {terms: {field: 'network', size: 50, order: {_key: 'asc'}},
        aggs: {nodes: {terms: {field: 'node', size: 1000},
          aggs: {time: {date_histogram: {field: 'eventTime', fixed_interval: intervalMinutes + 'm', min_doc_count: 1},
            aggs: {max: {max: {field: 'temperature'}}}}}}}}}}),
      search('readings', {size: 0, query: {range: {eventTime: {lte: to, format: 'epoch_millis'}}},
        aggs: {networks: {terms: {field: 'network', size: 50}, aggs: {nodes: {terms: {field: 'node', size: 1000},
          aggs: {latest: {top_hits: {size: 1, sort: [{eventTime: {order: 'desc'}}],
            _source: {includes: ['location', 'temperature', 'eventTime']}}}}}}}}}),
      search('alerts', {size: 100, sort: [{completedTime: {order: 'desc'}}],
        query: {range: {completedTime: {lte: to, format: 'epoch_millis'}}}})]);
    const cells = drawHeatMaps(cellsResult, from, to, intervalMinutes * 60000);
    const drawn = drawMap(sensorResult, alertResult);
    markPagePositions();
    rounds++;
    document.getElementById('status').textContent = (latest === null ? 'No readings yet' : 'Newest reading ' +
      new Date(latest).toISOString()) + ' · ' + count(cells, 'cell') + ', ' + count(drawn.sensors, 'sensor') + ', ' +
      count(drawn.chains, 'alert chain') + ', ' + count(drawn.areas, 'burnt area') + ' · updated ' + new Date().toISOString().slice(11, 19) + ' UTC';
    document.body.dataset.state = 'ready';
    document.body.dataset.rounds = String(rounds);
  }

  async function loop() {
    try {
      await refresh();
    } catch (e) {
      document.body.dataset.state = 'error';
      document.getElementById('status').textContent = String(e.message || e);
    }
    setTimeout(loop, Number(params.get('refresh') || config.refreshMillis));
  }

  async function main() {
    try {
      const response = await fetch('config.json');
      config = await response.json();
    } catch (e) {
      document.body.dataset.state = 'error';
      document.getElementById('status').textContent = 'cannot load config.json: ' + e;
      return;
    }
    drawLegend();
    loop();
  }

  main();
})();
