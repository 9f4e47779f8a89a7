import { describe, expect, it } from 'vitest';
import { normalizePhone, type ParsedContact, parseContact } from '../../src/normalize/contact.ts';

describe('normalizePhone', () => {
  it.each<[string | null, string | null]>([
    [null, null],
    ['', null],
    ['17350938429', '17350938429'],
    ['17350938429.0', '17350938429'],
    ['1.7350938429E10', '17350938429'],
    ['1.7350938429e+10', '17350938429'],
    ['+86 173 5093 8429', '17350938429'],
    ['+86-17350938429', '17350938429'],
    ['8617350938429', '17350938429'],
    ['173-5093-8429', '17350938429'],
    ['１７３５０９３８４２９', '17350938429'],
    ['0791-88888888', '0791-88888888'],
    ['(0791)88888888', '0791-88888888'],
    ['（0791）88888888', '0791-88888888'],
    ['0791 88888888', '0791-88888888'],
    ['079188888888', '0791-88888888'],
    ['01088888888', '010-88888888'],
    ['0791-88888888转123', '0791-88888888-123'],
    ['400-123-4567', '400-123-4567'],
    ['4001234567', '400-123-4567'],
    ['88888888', '88888888'],
    ['13800000000/0791-88888888', '13800000000、0791-88888888'],
    ['13800000000，13800000000', '13800000000'],
    ['张先生 13800000000', '13800000000'],
    ['见官网', null],
    ['0791-8888', null],
    ['123', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });
});

describe('parseContact', () => {
  it.each<[string, string | null, string | null, ParsedContact]>([
    ['both empty', null, null, { name: null, phone: null, warnings: [] }],
    ['plain', '张先生', '13800000000', { name: '张先生', phone: '13800000000', warnings: [] }],
    ['phone normalised', '张先生', '13800000000.0', { name: '张先生', phone: '13800000000', warnings: [] }],
    ['name in phone cell', null, '张先生 13800000000', { name: '张先生', phone: '13800000000', warnings: [] }],
    [
      'name and colon in phone cell',
      null,
      '张先生：13800000000',
      { name: '张先生', phone: '13800000000', warnings: [] },
    ],
    ['label in phone cell', null, '电话：13800000000', { name: null, phone: '13800000000', warnings: [] }],
    ['same name in both', '张先生', '张先生 13800000000', { name: '张先生', phone: '13800000000', warnings: [] }],
    [
      'two names and numbers',
      null,
      '张先生13800000000 李女士13900000000',
      { name: '张先生、李女士', phone: '13800000000、13900000000', warnings: [] },
    ],
    [
      'different name in phone cell',
      '李女士',
      '张先生 13800000000',
      {
        name: '李女士',
        phone: '13800000000',
        warnings: [{ field: 'contactPhone', reason: expect.stringContaining('姓名与联系人不同') }],
      },
    ],
    [
      'extra text in phone cell',
      '张先生',
      '13800000000（工作日9:00-17:00）',
      {
        name: '张先生',
        phone: '13800000000',
        warnings: [{ field: 'contactPhone', reason: expect.stringContaining('工作日9:00-17:00') }],
      },
    ],
    [
      'phone in the name cell only',
      '13800000000',
      null,
      {
        name: null,
        phone: '13800000000',
        warnings: [{ field: 'contactName', reason: expect.stringContaining('已移至联系电话') }],
      },
    ],
    [
      'name and phone in the name cell',
      '张先生 13800000000',
      null,
      {
        name: '张先生',
        phone: '13800000000',
        warnings: [{ field: 'contactName', reason: expect.stringContaining('已移至联系电话') }],
      },
    ],
    [
      'name cell repeats the phone',
      '张先生13800000000',
      '13800000000',
      { name: '张先生', phone: '13800000000', warnings: [] },
    ],
    ['name with digits that are no phone', '2号楼人事部', null, { name: '2号楼人事部', phone: null, warnings: [] }],
    [
      'phone not understood',
      '张先生',
      '见官网',
      {
        name: '张先生',
        phone: '见官网',
        warnings: [{ field: 'contactPhone', reason: '联系电话无法识别，按原文保留' }],
      },
    ],
  ])('%s', (_, name, phone, expected) => {
    expect(parseContact(name, phone)).toEqual(expected);
  });
});
