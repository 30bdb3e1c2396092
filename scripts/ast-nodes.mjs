/** Every node of an acorn AST, in source order, handed to fn (the firmware build's passes over a bundle). */
export function eachNode(node, fn) {
  if (!node || typeof node.type !== 'string') return;
  fn(node);
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (Array.isArray(v)) for (const c of v) eachNode(c, fn);
    else if (v && typeof v.type === 'string') eachNode(v, fn);
  }
}
