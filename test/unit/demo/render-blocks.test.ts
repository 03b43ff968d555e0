import { blockToHtml, messageBodyHtml, mrkdwnToHtml } from '../../../src/demo/render-blocks';
import type { RenderNames } from '../../../src/demo/render-blocks';
import { findingsMessage } from '../../../src/slack/blocks';
import { voteBlock } from '../../../src/slack/feedback-blocks';
import { answerActions } from '../../../src/slack/follow-up-blocks';
import { runScenario } from '../slack/sandbox-run';

const names: RenderNames = { user: (id) => (id === 'U0BOTDOC1' ? 'apigw-doctor' : id), channel: (id) => (id === 'C1' ? 'oncall' : id) };

describe('mrkdwn as the demo page shows it', () => {
  it('never turns text into markup: Slack entities and stray angle brackets are escaped for HTML', () => {
    const html = mrkdwnToHtml('log: &lt;script&gt;alert(1)&lt;/script&gt; and <img src=x onerror=alert(1)> "quoted"', names);
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('&#34;quoted&#34;');
  });

  it('links http(s) only; any other scheme is shown as its label', () => {
    expect(mrkdwnToHtml('<https://docs.aws.amazon.com/x?a=1&amp;b=2|the docs>', names)).toBe('<a href="https://docs.aws.amazon.com/x?a=1&#38;b=2" target="_blank" rel="noopener noreferrer">the docs</a>');
    expect(mrkdwnToHtml('<javascript:alert(1)|click>', names)).toBe('click');
  });

  it('renders code blocks, inline code, bold, italic, mentions and line breaks', () => {
    const html = mrkdwnToHtml('*Fix:* run `aws --x`\n```\naws lambda get-policy --function-name f &amp;&amp; echo &lt;ok&gt;\n```\n_why_ <@U0BOTDOC1> in <#C1>', names);
    expect(html).toContain('<b>Fix:</b> run <code>aws --x</code><br>');
    expect(html).toContain('<pre class="code">aws lambda get-policy --function-name f &#38;&#38; echo &#60;ok&#62;</pre>');
    expect(html).toContain('<i>why</i> <span class="mention">@apigw-doctor</span> in <span class="mention">#oncall</span>');
  });

  it('does not style inside code, nor snake_case words', () => {
    expect(mrkdwnToHtml('`*not bold*` orders_handler_v2', names)).toBe('<code>*not bold*</code> orders_handler_v2');
  });
});

describe('Block Kit as the demo page shows it', () => {
  it('draws buttons with what a click must send back, values escaped', () => {
    const html = blockToHtml({ type: 'actions', block_id: 'apigw_vote_1', elements: [{ type: 'button', action_id: 'apigw_vote_up', text: { type: 'plain_text', text: '👍' }, value: '{"thread":"1.2","cause":"x"}', accessibility_label: 'Finding 1 was right' }] }, 0, names);
    expect(html).toBe('<div class="block actions"><button type="button" class="button" data-action-id="apigw_vote_up" data-block-id="apigw_vote_1" data-value="{&#34;thread&#34;:&#34;1.2&#34;,&#34;cause&#34;:&#34;x&#34;}" aria-label="Finding 1 was right" title="Finding 1 was right">👍</button></div>');
  });

  it('shows a block it does not know by its type instead of dropping it', () => {
    expect(blockToHtml({ type: 'rich_text', elements: [] }, 3, names)).toBe('<div class="block unknown">[rich_text block]</div>');
  });

  it('shows a message without blocks by its text', () => {
    expect(messageBodyHtml({ text: 'On it.' }, names)).toContain('On it.');
  });

  it('renders every block of a real answer: the headline, findings, fix commands, context and buttons', async () => {
    const orders = await runScenario('malformed-lambda-proxy-response');
    const message = findingsMessage(orders.diagnosis, orders.investigation, 502, {
      afterFinding: (finding, n) => [voteBlock('1764953000.000100', n, finding.causeId, finding.title)],
      footer: [answerActions('1764953000.000100')],
    });
    const html = messageBodyHtml({ text: message.text, ...(message.blocks ? { blocks: [...message.blocks] } : {}) }, names);
    expect(html).not.toContain('class="block unknown"');
    expect(html).toMatch(/<b>502s on orders-api/);
    expect(html).toMatch(/<pre class="code">aws /);
    expect(html).toContain('data-action-id="apigw_evidence"');
    expect(html).toContain('<hr class="block divider">');
  });
});
