// Helpers of the billing mixin: number formats that reproduce, byte for byte, what the
// Python generators write (Python's '{:g}') and what Prometheus' template functions print
// (humanize, humanize1024, humanizeDuration, humanizePercentage: Go's %.4g), the PromQL
// string escape, the Grafana threshold steps, and the checks of a user's _config.
//
// std.format's %g is not used: in jsonnet 0.18 it prints 0.0001 as "0", 1e21 as "10e+20"
// and fails on 0. formatG rounds like C's printf: on the exact binary value, half to even.

// Exact sign of a*m - n for doubles (m a power of ten up to 1e22): the rounding error of
// a*m comes from Dekker's two-product (Veltkamp split, plain double arithmetic).
local split(a) =
  local c = 134217729 * a;
  local hi = c - (c - a);
  [hi, a - hi];
local compareScaled(a, m, n) =
  local prod = a * m;
  local sa = split(a);
  local sm = split(m);
  local err = ((sa[0] * sm[0] - prod) + sa[0] * sm[1] + sa[1] * sm[0]) + sa[1] * sm[1];
  local diff = prod - n;
  if diff != 0 then std.sign(diff) else std.sign(err);
local powers = std.makeArray(23, function(i) std.foldl(function(acc, _) acc * 10, std.range(1, i), 1));
local pow10(n) = if n >= 0 && n <= 22 then powers[n] else if n < 0 && n >= -22 then 1 / powers[-n] else std.pow(10, n);

// sign of ax - mid * 10^-s: exact while the powers of ten are
local compareMid(ax, mid, s) =
  if s >= 0 && s <= 22 then compareScaled(ax, powers[s], mid)
  else std.sign(ax - mid * pow10(-s));

// |x| > 0 rounded to p significant digits as [K, e]: K an integer with p digits, e the decimal
// exponent of its first digit. The log estimate of e is corrected by one if it was off.
local roundAt(ax, p, e) =
  local s = p - 1 - e;
  local k = std.floor(if s >= 0 then ax * pow10(s) else ax / pow10(-s));
  local side = compareMid(ax, k + 0.5, s);
  [if side > 0 || (side == 0 && k % 2 == 1) then k + 1 else k, e];
local roundSignificant(ax, p) =
  local e0 = std.floor(std.log(ax) / std.log(10));
  local r = roundAt(ax, p, e0);
  if r[0] >= powers[p] then roundAt(ax, p, e0 + 1)
  else if r[0] < powers[p - 1] then roundAt(ax, p, e0 - 1)
  else r;

local stripZeros(s) = std.rstripChars(s, '0');

// C's %.<p>g
local formatG(x, p) =
  if x == 0 then '0'
  else
    local sign = if x < 0 then '-' else '';
    local r = roundSignificant(std.abs(x), p);
    local digits = std.toString(r[0]);
    local exp = r[1];
    local frac(d) = local t = stripZeros(d); if t == '' then '' else '.' + t;
    if exp < -4 || exp >= p then
      local e = std.abs(exp);
      sign + digits[0] + frac(std.substr(digits, 1, p - 1))
      + 'e' + (if exp < 0 then '-' else '+') + (if e < 10 then '0' else '') + std.toString(e)
    else if exp < 0 then
      sign + '0.' + std.repeat('0', -exp - 1) + stripZeros(digits)
    else
      sign + std.substr(digits, 0, exp + 1) + frac(std.substr(digits, exp + 1, p - exp - 1));

local g4(x) = formatG(x, 4);

local scaleDown(x, prefixes, base) =
  local step(state, p) = if std.abs(state[0]) < base then state else [state[0] / base, p];
  std.foldl(step, prefixes, [x, '']);

local scaleUp(x) =
  local step(state, p) = if std.abs(state[0]) >= 1 then state else [state[0] * 1000, p];
  std.foldl(step, ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'], [x, '']);

local humanize(x) =
  if x == 0 then g4(x)
  else
    local s = if std.abs(x) >= 1 then scaleDown(x, ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'], 1000) else scaleUp(x);
    g4(s[0]) + s[1];

local humanize1024(x) =
  if std.abs(x) <= 1 then g4(x)
  else
    local s = scaleDown(x, ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi'], 1024);
    g4(s[0]) + s[1];

local humanizeDuration(x) =
  if x == 0 then g4(x) + 's'
  else if std.abs(x) >= 1 then
    local sign = if x < 0 then '-' else '';
    local v = std.abs(x);
    local whole = std.floor(v);
    local seconds = whole % 60;
    local minutes = std.floor(whole / 60) % 60;
    local hours = std.floor(whole / 3600) % 24;
    local days = std.floor(whole / 86400);
    local i(n) = std.toString(n);
    if days > 0 then '%s%sd %sh %sm %ss' % [sign, i(days), i(hours), i(minutes), i(seconds)]
    else if hours > 0 then '%s%sh %sm %ss' % [sign, i(hours), i(minutes), i(seconds)]
    else if minutes > 0 then '%s%sm %ss' % [sign, i(minutes), i(seconds)]
    else sign + g4(v) + 's'
  else
    local s = scaleUp(x);
    g4(s[0]) + s[1] + 's';

local humanizePercentage(x) = g4(x * 100) + '%';

// unit of the spec -> how Prometheus prints $value of that unit (generators/templating.py)
local units = {
  ratio: humanizePercentage,
  seconds: humanizeDuration,
  percent: function(x) humanize(x) + '%',
  per_second: function(x) humanize(x) + '/s',
  count: humanize,
  bytes: function(x) humanize1024(x) + 'B',
};

local severityColors = { critical: 'red', warning: 'orange', info: 'blue' };

local camelChars = std.set(std.stringChars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'));

{
  // Python's '{:g}' (6 significant digits), as thresholds appear in PromQL and texts
  g(x):: formatG(x, 6),
  g4:: g4,
  humanize:: humanize,
  humanize1024:: humanize1024,
  humanizeDuration:: humanizeDuration,
  humanizePercentage:: humanizePercentage,
  // how an alert's description prints a threshold of the given unit
  value(unit, x):: units[unit](x),

  // a value inside a PromQL double-quoted string (generators/promql.py quote)
  promqlString(s):: std.strReplace(std.strReplace(std.strReplace(s, '\\', '\\\\'), '"', '\\"'), '\n', '\\n'),

  // Grafana threshold steps for the alerts drawn on a panel (generators/dashboards.py
  // threshold_steps): alerts below a value colour the base, alerts above colour from it.
  steps(alerts)::
    local below = std.sort([a for a in alerts if a.op == '<' || a.op == '<='], function(a) a.value);
    local above = std.sort([a for a in alerts if a.op == '>' || a.op == '>='], function(a) a.value);
    local n = std.length(below);
    [{ color: if n > 0 then severityColors[below[0].severity] else 'green', value: null }]
    + [
      { color: if i + 1 < n then severityColors[below[i + 1].severity] else 'green', value: below[i].value }
      for i in std.range(0, n - 1)
    ]
    + [{ color: severityColors[a.severity], value: a.value } for a in above],

  // The problems of a _config (empty when it is usable); mixin.libsonnet asserts on them.
  configProblems(config, thresholdNames, selectorLabels)::
    local prefix = config.alertPrefix;
    local prefixOk = std.isString(prefix) && std.length(prefix) > 0 && std.length(prefix) <= 40
                     && std.member(std.stringChars('ABCDEFGHIJKLMNOPQRSTUVWXYZ'), prefix[0])
                     && std.length([c for c in std.stringChars(prefix) if !std.member(camelChars, c)]) == 0;
    (if prefixOk then [] else ['_config.alertPrefix must be CamelCase letters and digits, e.g. Billing'])
    + [
      '_config.thresholds.%s must be a number (a finite value in the unit of thresholds.yaml)' % name
      for name in thresholdNames
      if !std.objectHas(config.thresholds, name) || !std.isNumber(config.thresholds[name])
    ]
    + [
      '_config.thresholds has no alert %s; known: %s' % [name, std.join(', ', thresholdNames)]
      for name in std.objectFields(config.thresholds)
      if !std.member(thresholdNames, name)
    ]
    + [
      '_config.selectors.%s.%s must be a non-empty string' % [source, label]
      for source in std.objectFields(selectorLabels)
      for label in selectorLabels[source]
      if !std.objectHas(config.selectors, source) || !std.objectHas(config.selectors[source], label)
         || !std.isString(config.selectors[source][label]) || config.selectors[source][label] == ''
    ],
}
