import { settingAckOf } from './twin-ack.poller';

describe('settingAckOf', () => {
  it('accepts an acknowledgement at or after the desired version', () => {
    expect(settingAckOf({ fanSpeed: { value: 3, ac: 200, av: 4, ad: 'completed' } }, 'fanSpeed', 4)).toEqual({
      acknowledged: true,
      ac: 200,
      ad: 'completed',
    });
    expect(settingAckOf({ fanSpeed: { ac: 400, av: 5 } }, 'fanSpeed', 4)).toEqual({ acknowledged: true, ac: 400, ad: null });
  });

  it('ignores older, partial or missing acknowledgements', () => {
    expect(settingAckOf({ fanSpeed: { value: 3, ac: 200, av: 3 } }, 'fanSpeed', 4)).toEqual({ acknowledged: false });
    expect(settingAckOf({ fanSpeed: 3 }, 'fanSpeed', 4)).toEqual({ acknowledged: false });
    expect(settingAckOf({ fanSpeed: { av: 4 } }, 'fanSpeed', 4)).toEqual({ acknowledged: false });
    expect(settingAckOf(undefined, 'fanSpeed', 1)).toEqual({ acknowledged: false });
  });
});
