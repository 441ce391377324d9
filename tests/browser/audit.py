"""Checks run inside the page: what a phone user feels (tap targets, overflow) and what WCAG AA asks
(contrast of text against what is really behind it). Each returns a list of problems."""

SMALL_TARGETS = """
() => {
  const MIN = 44;
  const problems = [];
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
      && !el.closest('details:not([open]) > :not(summary)');
  };
  const candidates = document.querySelectorAll(
    'a[href], button, summary, select, textarea, input:not([type=hidden]):not([type=radio]), label.chip > span');
  for (const el of candidates) {
    // Links inside a sentence are exempt (WCAG 2.5.8 "inline"); the skip link shows only on focus;
    // what is hidden from assistive tech and out of the tab order (aria-hidden) is nobody's target.
    if (el.matches('p a, small a, .skip-link') || el.closest('[aria-hidden=true]') || !visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.height < MIN || r.width < MIN) {
      problems.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || el.name || '').trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  return problems;
}
"""

LOW_CONTRAST = """
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(',').map(Number);
    return {r, g, b, a};
  };
  const luminance = ({r, g, b}) => {
    const ch = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const blend = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
  });
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg && bg.a > 0) { layers.push(bg); if (bg.a === 1) break; }
    }
    let colour = {r: 255, g: 255, b: 255, a: 1};
    for (const layer of layers.reverse()) colour = blend(layer, colour);
    return colour;
  };
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || el.closest('.skip-link, .visually-hidden, svg')) continue;
    if (el.closest('details:not([open]) > :not(summary)')) continue;
    const fg = parse(s.color);
    const bg = background(el);
    const text = blend(fg, bg);
    const [hi, lo] = [luminance(text), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push(`"${el.textContent.trim().slice(0, 20)}" ${s.color} on rgb(${bg.r},${bg.g},${bg.b}) = ${ratio.toFixed(2)}`);
    }
  }
  return problems;
}
"""

NO_FOCUS_RING = """
() => {
  const problems = [];
  for (const el of document.querySelectorAll('main a[href], main button, main summary, main input:not([type=hidden]), main select, main textarea, nav a')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    el.focus({focusVisible: true});
    if (document.activeElement !== el) continue;
    const s = getComputedStyle(el);
    const target = el.matches('label.chip input') ? el.nextElementSibling : el;
    const ts = getComputedStyle(target);
    const ring = (ts.outlineStyle !== 'none' && parseFloat(ts.outlineWidth) >= 2) || (s.boxShadow && s.boxShadow !== 'none');
    if (!ring) problems.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.name || '').trim().slice(0, 20)}"`);
  }
  return problems;
}
"""
