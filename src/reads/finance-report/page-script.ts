/**
 * The browser side of the report page: reads the embedded JSON and draws each
 * chart with uPlot into its figure. Amounts arrive as exact decimal text and
 * become Numbers here only to be drawn; every figure a person reads comes from
 * the tables the server wrote.
 */
export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var DAY = 86400;
  var time = function (date) { return Date.parse(date + 'T00:00:00Z') / 1000; };
  var drawn = function (text) { return text === null ? null : Number(text); };
  var utc = function (seconds) { return uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'); };
  // The figures are per day: ticks fall on whole days and read as dates, never hours.
  var dayAxis = {
    space: 70,
    incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 91 * DAY, 182 * DAY, 364 * DAY],
    values: function (u, splits) { return splits.map(function (at) { return new Date(at * 1000).toISOString().slice(0, 10); }); },
  };
  var plots = [];

  // Half a day either side: the first and last dates' labels and bars stay inside the canvas.
  var padded = function (u, min, max) { return [min - DAY / 2, max + DAY / 2]; };

  function draw(name, series, columns) {
    var figure = document.querySelector('[data-chart="' + name + '"] .plot');
    var width = Math.max(320, figure.clientWidth);
    var options = {
      width: width,
      height: 260,
      tzDate: utc,
      scales: { x: { time: true, range: padded } },
      series: [{ label: 'day' }].concat(series),
      axes: [dayAxis, { size: 70 }],
      legend: { live: false },
      cursor: { show: false },
    };
    plots.push({ plot: new uPlot(options, columns, figure), figure: figure });
  }

  var bars = uPlot.paths.bars;
  data.panels.forEach(function (panel) {
    var days = panel.days.map(function (day) { return time(day.date); });
    draw('panel-balance:' + panel.sourceId + ':' + panel.currency, [
      { label: 'ledger panel_prepaid', stroke: '#1f5fa8', width: 2 },
      { label: 'reported by the panel', stroke: '#d9822b', width: 0, points: { show: true, size: 9, fill: '#d9822b' } },
    ], [days, panel.days.map(function (day) { return drawn(day.ledger); }), panel.days.map(function (day) { return drawn(day.reported); })]);
    draw('panel-charges:' + panel.sourceId + ':' + panel.currency, [
      { label: 'charges', stroke: '#b03a2e', fill: 'rgba(176,58,46,0.6)', paths: bars({ size: [0.4, 40], align: -1 }) },
      { label: 'refunds', stroke: '#2e7d32', fill: 'rgba(46,125,50,0.6)', paths: bars({ size: [0.4, 40], align: 1 }) },
    ], [days, panel.days.map(function (day) { return drawn(day.charges); }), panel.days.map(function (day) { return drawn(day.refunds); })]);
  });
  data.publishers.forEach(function (publisher) {
    var days = publisher.days.map(function (day) { return time(day.date); });
    var minimum = drawn(publisher.minimum);
    draw('publisher-receivable:' + publisher.sourceId + ':' + publisher.currency, [
      { label: 'receivable', stroke: '#1f5fa8', width: 2 },
      { label: 'payout threshold', stroke: '#777', dash: [6, 4], width: 1 },
      { label: 'payout', stroke: '#6a1b9a', width: 0, points: { show: true, size: 11, fill: '#6a1b9a' } },
    ], [
      days,
      publisher.days.map(function (day) { return drawn(day.receivable); }),
      publisher.days.map(function () { return minimum; }),
      publisher.days.map(function (day) { return drawn(day.paidOut); }),
    ]);
  });

  window.addEventListener('resize', function () {
    plots.forEach(function (entry) { entry.plot.setSize({ width: Math.max(320, entry.figure.clientWidth), height: 260 }); });
  });
})();
`;
