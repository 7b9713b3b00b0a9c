/**
 * Message markdown as Discord renders it, parsed by simple-markdown into React elements. No rule
 * emits HTML: text is always a React text node, so `<img src=x onerror=...>` stays text.
 */
import SimpleMarkdown, {
  type ParserRule,
  type ParserRules,
  type ReactOutputRule,
  type ReactRules,
  type SingleASTNode,
} from "@khanacademy/simple-markdown";
import type { ReactNode } from "react";
import { useChat } from "../context.ts";

type Rule = ParserRule & ReactOutputRule;
const base = SimpleMarkdown.defaultRules;

function pick<K extends keyof typeof base>(name: K): Rule {
  return base[name] as unknown as Rule;
}

const spoiler: Rule = {
  order: base.strong.order - 0.5,
  match: (source) => /^\|\|([\s\S]+?)\|\|/.exec(source),
  parse: (capture, parse, state) => ({ content: parse(capture[1] ?? "", state) }),
  react: (node, output, state) => <Spoiler key={state.key}>{output(node.content as SingleASTNode[], state)}</Spoiler>,
};

const mention: Rule = {
  order: base.text.order - 0.5,
  match: (source) => /^<(@!?|@&|#)(\d{1,20})>/.exec(source),
  parse: (capture) => ({ kind: capture[1], id: capture[2] }),
  react: (node, _output, state) => <Mention key={state.key} kind={String(node.kind)} id={String(node.id)} />,
};

const link: Rule = {
  ...pick("link"),
  react: (node, output, state) => {
    const href = SimpleMarkdown.sanitizeUrl(node.target as string);
    if (!href || !/^https?:/i.test(href)) return output(node.content as SingleASTNode[], state);
    return (
      <a key={state.key} href={href} target="_blank" rel="noopener noreferrer nofollow" title={href}>
        {output(node.content as SingleASTNode[], state)}
      </a>
    );
  },
};

const blockQuote: Rule = {
  ...pick("blockQuote"),
  // Discord's quotes are "> text" lines; simple-markdown's default needs a blank line after.
  match: (source, state) =>
    state.prevCapture === null || /\n$/.test(state.prevCapture?.[0] ?? "") ? /^( *>[^\n]*(\n|$))+/.exec(source) : null,
  parse: (capture, parse, state) => ({ content: parse((capture[0] ?? "").replace(/^ *> ?/gm, "").replace(/\n$/, ""), state) }),
};

const rules = {
  codeBlock: {
    ...pick("codeBlock"),
    match: (source: string) => /^```(?:([\w+-]+)\n)?([\s\S]*?)```/.exec(source),
    parse: (c: string[]) => ({ lang: c[1], content: c[2] ?? "" }),
  },
  blockQuote,
  newline: pick("newline"),
  escape: pick("escape"),
  autolink: pick("autolink"),
  url: pick("url"),
  link,
  strong: pick("strong"),
  em: pick("em"),
  u: pick("u"),
  del: { ...pick("del"), match: SimpleMarkdown.inlineRegex(/^~~([\s\S]+?)~~(?!_)/) },
  inlineCode: pick("inlineCode"),
  spoiler,
  mention,
  br: { ...pick("br"), match: SimpleMarkdown.anyScopeRegex(/^\n/) },
  text: pick("text"),
} as unknown as ParserRules & ReactRules;

const parse = SimpleMarkdown.parserFor(rules);
const output = SimpleMarkdown.outputFor(rules, "react");

export function Markdown({ content }: { content: string }): ReactNode {
  return <>{output(parse(content, { inline: true }))}</>;
}

function Spoiler({ children }: { children: ReactNode }) {
  return (
    <button
      type="button"
      className="spoiler"
      aria-label="Spoiler, press to reveal"
      onClick={(event) => {
        event.currentTarget.dataset.revealed = "true";
        event.currentTarget.removeAttribute("aria-label");
      }}
    >
      {children}
    </button>
  );
}

function Mention({ kind, id }: { kind: string; id: string }) {
  const label = useChat((s) => {
    for (const guild of Object.values(s.guilds)) {
      if (kind === "#") {
        const channel = guild.channels[id];
        if (channel) return `#${channel.name}`;
      } else if (kind === "@&") {
        const role = guild.roles[id];
        if (role) return `@${role.name}`;
      } else {
        const member = guild.members[id];
        if (member) return `@${member.nick || member.user.global_name || member.user.username}`;
      }
    }
    return kind === "#" ? "#unknown-channel" : kind === "@&" ? "@unknown-role" : "@unknown-user";
  });
  const mine = useChat((s) => kind.startsWith("@") && kind !== "@&" && s.me?.id === id);
  return <span className={mine ? "mention mention-me" : "mention"}>{label}</span>;
}
