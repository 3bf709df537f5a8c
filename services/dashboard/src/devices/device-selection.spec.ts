import { describe, expect, it } from 'vitest';
import {
  ALL_OF_SET,
  chosenCount,
  devicesOfJobBody,
  explicitDevices,
  isChosen,
  noDevices,
  pageCheckState,
  selectionOfJob,
  toggleAllOfSet,
  toggleDevice,
  togglePage,
} from './device-selection';

const page1 = ['vm-001', 'vm-002', 'vm-003'];
const page2 = ['vm-004', 'vm-005'];

describe('device selection', () => {
  describe('the header checkbox (whole set)', () => {
    it('chooses every device of the set, and the job body then omits devices', () => {
      const selection = toggleAllOfSet(noDevices());
      expect(selection).toEqual(ALL_OF_SET);
      expect(devicesOfJobBody(selection)).toBeUndefined();
    });

    it('counts the whole set as its size, unknown until counted', () => {
      expect(chosenCount(ALL_OF_SET, 1234)).toBe(1234);
      expect(chosenCount(ALL_OF_SET, null)).toBeNull();
    });

    it('cleared, leaves nothing chosen', () => {
      const selection = toggleAllOfSet(ALL_OF_SET);
      expect(chosenCount(selection, 1234)).toBe(0);
      expect(devicesOfJobBody(selection)).toEqual([]);
    });

    it('replaces devices chosen one by one', () => {
      expect(toggleAllOfSet(explicitDevices(['vm-001']))).toEqual(ALL_OF_SET);
    });

    it('makes every device of every page chosen, and page toggles do nothing', () => {
      expect(isChosen(ALL_OF_SET, 'any-device')).toBe(true);
      expect(pageCheckState(ALL_OF_SET, page2)).toBe('checked');
      expect(togglePage(ALL_OF_SET, page1)).toBe(ALL_OF_SET);
      expect(toggleDevice(ALL_OF_SET, 'vm-001')).toBe(ALL_OF_SET);
    });
  });

  describe('the checkbox by Name (this page)', () => {
    it("chooses exactly this page's devices, which go into the job body", () => {
      const selection = togglePage(noDevices(), page1);
      expect(devicesOfJobBody(selection)).toEqual(page1);
      expect(chosenCount(selection, 1234)).toBe(3);
      expect(pageCheckState(selection, page1)).toBe('checked');
      expect(pageCheckState(selection, page2)).toBe('unchecked');
    });

    it('keeps the choices of other pages', () => {
      const selection = togglePage(togglePage(noDevices(), page1), page2);
      expect(devicesOfJobBody(selection)).toEqual([...page1, ...page2]);
    });

    it('on a fully chosen page, unchooses only that page', () => {
      const both = togglePage(togglePage(noDevices(), page1), page2);
      const selection = togglePage(both, page1);
      expect(devicesOfJobBody(selection)).toEqual(page2);
    });

    it('on a partly chosen page (mixed), chooses the rest of it', () => {
      const partly = toggleDevice(noDevices(), 'vm-002');
      expect(pageCheckState(partly, page1)).toBe('mixed');
      const selection = togglePage(partly, page1);
      expect(pageCheckState(selection, page1)).toBe('checked');
      expect(chosenCount(selection, null)).toBe(3);
    });

    it('on an empty page does nothing', () => {
      const selection = explicitDevices(['vm-001']);
      expect(togglePage(selection, [])).toBe(selection);
    });
  });

  describe('devices one by one', () => {
    it('add and remove single ids across pages', () => {
      let selection = toggleDevice(noDevices(), 'vm-001');
      selection = toggleDevice(selection, 'vm-005');
      expect(devicesOfJobBody(selection)).toEqual(['vm-001', 'vm-005']);
      selection = toggleDevice(selection, 'vm-001');
      expect(devicesOfJobBody(selection)).toEqual(['vm-005']);
      expect(isChosen(selection, 'vm-001')).toBe(false);
    });
  });

  describe('copying a job', () => {
    it('targets the whole set again when the job did', () => {
      expect(selectionOfJob(null)).toEqual(ALL_OF_SET);
    });

    it('chooses the same devices when the job listed them', () => {
      expect(devicesOfJobBody(selectionOfJob(['vm-002', 'vm-007']))).toEqual(['vm-002', 'vm-007']);
    });
  });
});
