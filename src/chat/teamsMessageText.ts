// Teams hands the message as HTML: the bot's mention first (`<at>name</at>`), non-breaking spaces as
// entities. What remains is the command as typed; any other markup is left for the parser to refuse.

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function teamsMessageText(html: string): string {
  return html
    .replace(/^\s*(<at>[^<]{0,200}<\/at>\s*)+/i, '')
    .replace(/&(nbsp|amp|lt|gt|quot|apos);/g, (_match, name: string) => ENTITIES[name] ?? '')
    .trim();
}
