import { escapeHtml, Fragment, h, Html, renderDocument } from './runtime';

describe('the escaping JSX runtime', () => {
  it('escapes text children and attribute values by default', () => {
    const name = '<script>alert("x")</script> & \'you\'';
    const html = (
      <p title={name} class="a">
        {name}
      </p>
    ).value;
    expect(html).toBe(`<p title="${escapeHtml(name)}" class="a">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;you&#39;</p>`);
    expect(html).not.toContain('<script>');
  });

  it('inserts elements as markup, drops false, null and undefined, writes true attributes bare', () => {
    const Item = (props: { label: string }) => <li>{props.label}</li>;
    const html = (
      <ul hidden={false} data-x={undefined}>
        {[<Item label="a" />, null, false, 0]}
        <>
          <input type="checkbox" checked required={false} />
        </>
      </ul>
    ).value;
    expect(html).toBe('<ul><li>a</li>0<input type="checkbox" checked></ul>');
  });

  it('does not trust a string that looks like markup', () => {
    const fake = '<b>bold</b>';
    expect((<div>{fake}</div>).value).toBe('<div>&lt;b&gt;bold&lt;/b&gt;</div>');
    expect((<div>{new Html(fake)}</div>).value).toBe('<div><b>bold</b></div>');
  });

  it('renders a document with its doctype', () => {
    expect(renderDocument(<html lang="fi"></html>)).toBe('<!doctype html><html lang="fi"></html>');
  });
});
