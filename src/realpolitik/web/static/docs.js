// Renders /openapi.json as a plain reference page (the stock docs page needs a CDN).
"use strict";

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function describeSchema(schema) {
  if (!schema) return "";
  if (schema.anyOf) return schema.anyOf.map(describeSchema).filter((s) => s !== "null").join(" or ");
  const parts = [schema.type || (schema.$ref ? schema.$ref.split("/").pop() : "")];
  if (schema.enum) parts.push(`one of ${schema.enum.join(", ")}`);
  if (schema.pattern) parts.push(`pattern ${schema.pattern}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.maxLength !== undefined) parts.push(`≤ ${schema.maxLength} characters`);
  if (schema.format) parts.push(schema.format);
  return parts.filter(Boolean).join(", ");
}

async function render() {
  const main = document.getElementById("docs");
  const spec = await (await fetch("/openapi.json")).json();
  main.replaceChildren(el("p", spec.info.description));
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const section = el("section");
      const h = el("h2");
      h.append(el("span", method.toUpperCase(), "method"), el("code", path));
      section.append(h, el("p", op.description || op.summary || ""));
      const params = op.parameters || [];
      if (params.length) {
        const table = el("table");
        const head = el("tr");
        for (const t of ["parameter", "in", "type", "allowed values"]) head.append(el("th", t));
        table.append(head);
        for (const p of params) {
          const row = el("tr");
          row.append(el("td", p.name), el("td", p.in), el("td", describeSchema(p.schema)),
            el("td", p.description || ""));
          table.append(row);
        }
        section.append(table);
      }
      main.append(section);
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  render().catch((err) => {
    document.getElementById("docs").textContent = `Could not load /openapi.json: ${err}`;
  });
});
