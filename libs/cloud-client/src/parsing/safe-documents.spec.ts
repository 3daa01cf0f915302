import {
  assertWellFormedSafeXml,
  createSafeXmlParser,
  decodeUtf8,
  decodeXmlText,
  MalformedDocumentError,
  parseSafeJson,
} from './safe-documents';

const BILLION_LAUGHS =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">' +
  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><ServerSideEncryptionRule>&lol3;</ServerSideEncryptionRule>';

function nestedXml(depth: number): string {
  return '<a>'.repeat(depth) + 'x' + '</a>'.repeat(depth);
}

describe('assertWellFormedSafeXml', () => {
  it('accepts a document with a prolog, comments, CDATA, attributes and self-closing tags', () => {
    expect(() => {
      assertWellFormedSafeXml(
        '\ufeff<?xml version="1.0"?><!-- c --><R a="x>y"><B/><C><![CDATA[<not-a-tag>]]></C></R>\n',
      );
    }).not.toThrow();
  });

  it('rejects an entity-expansion (billion laughs) document before parsing', () => {
    expect(() => {
      assertWellFormedSafeXml(BILLION_LAUGHS);
    }).toThrow(/DOCTYPE\/ENTITY/);
  });

  it('rejects an external-entity declaration', () => {
    expect(() => {
      assertWellFormedSafeXml('<!ENTITY x SYSTEM "file:///etc/passwd"><R/>');
    }).toThrow(MalformedDocumentError);
  });

  it('accepts nesting up to 20 levels and rejects 21 and the 50 of a hostile answer', () => {
    expect(() => {
      assertWellFormedSafeXml(nestedXml(20));
    }).not.toThrow();
    expect(() => {
      assertWellFormedSafeXml(nestedXml(21));
    }).toThrow(/deeper than 20/);
    expect(() => {
      assertWellFormedSafeXml(nestedXml(50));
    }).toThrow(/deeper than 20/);
  });

  it.each([
    ['a mismatched closing tag', '<R><a></R>'],
    ['an unclosed element', '<R><a></a>'],
    ['two root elements', '<R/><S/>'],
    ['text outside the root', '<R/>trailing'],
    ['an unterminated tag', '<R><a'],
    ['an unterminated comment', '<R><!-- x</R>'],
    ['an empty document', '   '],
    ['a tag without a name', '<R>< a/></R>'],
  ])('rejects %s', (_label, xml) => {
    expect(() => {
      assertWellFormedSafeXml(xml);
    }).toThrow(MalformedDocumentError);
  });
});

describe('createSafeXmlParser', () => {
  const parse = createSafeXmlParser(['R.Items.Item']);

  it('keeps values as strings, so key ids with leading zeros or digits only survive', () => {
    expect(parse('<R><Id>0123</Id><Flag>true</Flag><Big>12345678901234567890</Big></R>')).toEqual({
      R: { Id: '0123', Flag: 'true', Big: '12345678901234567890' },
    });
  });

  it('makes a listed element an array even when it occurs once', () => {
    expect(parse('<R><Items><Item><N>a</N></Item></Items></R>')).toEqual({
      R: { Items: { Item: [{ N: 'a' }] } },
    });
  });

  it('does not expand entity references (they stay literal until decodeXmlText)', () => {
    expect(parse('<R><M>a &amp; b</M></R>')).toEqual({ R: { M: 'a &amp; b' } });
  });

  it('refuses a prototype-polluting element name as malformed', () => {
    expect(() => parse('<R><__proto__>1</__proto__></R>')).toThrow(MalformedDocumentError);
  });
});

describe('decodeXmlText', () => {
  it('decodes the predefined entities and numeric references', () => {
    expect(decodeXmlText('&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#65;&#x42;')).toBe(
      '<a> & "b" \'c\' AB',
    );
  });

  it('leaves unknown entity names untouched', () => {
    expect(decodeXmlText('&lol; &nbsp;')).toBe('&lol; &nbsp;');
  });
});

describe('parseSafeJson', () => {
  it('parses a document within the depth limit', () => {
    expect(parseSafeJson('{"a":[{"b":1}]}')).toEqual({ a: [{ b: 1 }] });
  });

  it('rejects nesting deeper than 20', () => {
    expect(() => parseSafeJson('['.repeat(21) + ']'.repeat(21))).toThrow(/deeper than 20/);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ message: '[[[[[[[[[[[[[[[[[[[[[[[[[ \\" {{{{{{{{{{{{{{{{{{{{{{{' });
    expect(parseSafeJson(text)).toEqual({ message: '[[[[[[[[[[[[[[[[[[[[[[[[[ \\" {{{{{{{{{{{{{{{{{{{{{{{' });
  });

  it('reports invalid JSON as malformed', () => {
    expect(() => parseSafeJson('{"a":')).toThrow(MalformedDocumentError);
  });
});

describe('decodeUtf8', () => {
  it('rejects bytes that are not UTF-8', () => {
    expect(() => decodeUtf8(Buffer.from([0x3c, 0xff, 0x3e]))).toThrow(MalformedDocumentError);
  });
});
