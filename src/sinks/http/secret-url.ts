/**
 * A URL kept secret (a Slack or Teams webhook) in the forms a text can show it: as given, as the URL parser
 * writes it, its path and query alone, and its query alone (where a Teams workflow URL keeps its signature).
 */
export function secretUrlForms(url: string): string[] {
  try {
    const parsed = new URL(url);
    const forms = [url, parsed.href, `${parsed.pathname}${parsed.search}`];
    if (parsed.search.length > 1) forms.push(parsed.search.slice(1));
    return forms;
  } catch {
    return [url];
  }
}
