// Python 3 str behaviour for rendering Alembic output. The character tables below are
// generated from CPython 3.11 (Unicode 14.0) by this script, so they match Debian's
// python3 exactly:
//
//   def sigma(c):  # 1: cased, 2: case-ignorable (as str.lower()'s Final_Sigma sees them)
//       ch = chr(c)
//       if c == 0x3A3: return 1
//       if ('a'+ch+'\u03a3').lower()[-1] == '\u03c2' and ('a\u03a3'+ch).lower()[1] == '\u03c2':
//           return 2
//       return 1 if (ch+'\u03a3').lower()[-1] == '\u03c2' else 0
//   def cls(c):
//       ch = chr(c)
//       return (ch == '_' or ch.isalnum()) | ch.isprintable() << 1 | sigma(c) << 2
//   # kClassRuns: for each run of equal cls() from U+0000 up, v = (length-1)*12 + cls,
//   # written in base 32 most significant digit first; digits before the last are
//   # taken from A[32:], the last one from A[:32], A = "0-9A-Za-z+/" (64 characters).
//   # kLowerRuns: {first, last, delta, stride}: chr(c).lower() == chr(c + delta) for
//   # c in range(first, last + 1, stride); U+0130 and U+03A3 are handled in code.
#include "analysis/python_repr.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace alembic::python {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

constexpr std::string_view kClassRuns =
    "hKYAAXUA2ZFAXUfJQA3AfJX6iCYAA27E82AEFA72M372R2eF2hF2YeV3XBX7YjR3fVcNXEaFb6XR"
    "YIBABXmAXBBAJCBV27X4M7AV070dB0+V2XpV2YIX+30k3CBXIAl7ECQ0mQ2A2M2M2AYKfRX4X72A"
    "ZOY4ZEa228QhNBZFdQZFX6FAXaR23YI82Y6NM2XEbBE3aU083AgVg2CXX3a23aSlRZANX6BCAEdV"
    "XEBZABX2BXQCbA0f3X2C20ZRXGeNAXV0KXSYUl3BeU8hU2pVA2A3QYUX6AE3YIZFMEZF2BbBAE0Y"
    "NCFCdV0YB03OX7CA3QXECECEA3YK2X4F0RMCa7EXVE32ACM20XVX4FCdV0YB0F0F0FCA0QMX4MCX"
    "2OAY8X703Y8ZFMRA2ZCM20Z30R0dV0YB0F0XJCA3QXQ0M20EAC3b8FMCZFEY83Y60AE0YNCFCdV0"
    "YB0F0XJCA32A2XECECEAY8M2X4F0RMCZF2YBZCA30XVOR0X7OF030FOFOROa7X4EAEOQ0QAC3XS2"
    "aSaJYMXGAQAYN0R0eB0bNCA3X2X60X20XEY8M0RC3CFMCZFY82YB23AQYN0R0eB0ZF0XJCA32AXI"
    "0AE0EMY8EXSF0FMCZF0FaGMEZ30R0l3M3QXE0Q0QA32X4R2ZFMCcR2XV0AE0cFOeN0Z303CYBOAX"
    "4QX20A0YMXSZFCQa4nNAFYIX42XVBYU2ZFEjGF030XJ0eN030ZFAFZA3CXJ0B0Y6CZFCX7hK3eAM"
    "XUd72A2A2AXUYN0j7X4b62XQ2MXJa20jE0YMAXU0aIjGlREXE2Y62MEMZRXUXVEMX7X23QFYARXE"
    "aJAEMXUA32ZFQAEk307XG7ClV2BVZx30X7CYB030X7Cl30X7Ci30X7CYB030X7CbB0r30X7CuRCX"
    "2Z2d7ObNZEXSXW3CY3C2de7Ec30fFEOxRQZRY8cFX22Z0cRMQZ0cFMa4aJ0R0Ma4p7M2YIYMAEa2"
    "QBX63ACZFXSZFXSZQX28AZFXSiRBpJY8XJMiFA3XGvVZChB0X2X6MQX4EAXUX2X42OEkNCXJZOm7"
    "X4fFXSZROiEeBMEACEpJ2A2YI0A2AEYUXUZMCAZFXSZFXSYABXUChIo0XE2nBA2XQ2AXIAEYNOZF"
    "c2ZAZQ0M2gV2XEEM2X2qNA2MQA2X2EYKX6j7YMYUEMOXIZFOlRY7EZ7Y8lVCVYMYKX22aQ2YIX7A"
    "XVAF2M3XGmBtJaNBiJjRtUZe3CY3Ck3CY3CYR0707070hFCpN0YFA7X2V0YFX2XBCY30X2aNX2CV"
    "0YFMa4XOYMMZEAEACXO0nA0XO0ZK3BCXVXIBZFXI0aROi2b8iAb8E7X67EZJ27QXNXU727272XB2"
    "Y3X77EXBXIXNX672bNhRRJXJEX4duAf0ZQdGs7fEpAdVdhUgVhpMChM0Xd2XkBNXcFXUXBX2JXGX"
    "63Ek307XG7CqNY8B2aSAeBZ0YB0YB0YB0YB0YB0YB0YB0YB0hUnABmUiCfE0XX2a4YlUfCa6XGX6"
    "BFf2Z3XEQXRERB3Q0/VCXEN32XXF2X33XGlR0XYV0EX7ZEhNj6a4bNhA0ZFgUYN2bBhMZFkAbBZt"
    "MYjdNtMdsdJBjiBOqAZ0kNY7EZa7BQg7d4n33XE2ZM2BgBNMzNMXUYKeIZBMz3BeFBMXB3rVXGJ0"
    "70XNeKX3J3N7YBARAX7AeBEMXIAOXVX6XSp7X6YKEoFbMMYKEZFXScMXVQ32FAjVYUEeBa2EZO2g"
    "JOX22nBAEXEEMbM0BZFX4EXJABeN0l3Y6EMEMZ0RAYNA2CZFCX6bNBXVQ32A2oFA3X2FMXJM3A3e"
    "KFBEZR2MX63N2AZCXVCXVCXVZ0YB0YB0lVAXFZ7BMX4zRiREAEAX6ACZFXSaYz7a4eBX4o3ZZX4a"
    "eVCXdFjSYFa4XNXG3AZF2aJ0XJ030F0F0Xe7cAbKadRcEtNCpVY82hKa7X6bUQAXUXSbUiEA02Ac"
    "20X6X4XJ0XoBC80XUAXUA2ZFAXUfJQA2AfJZQZFBmJNhBOXVCXVCXVCROQAQ0YAZCX0ECa70fF0c"
    "R0F0bBCaViCXjRXGQX4mJOZ2r3c2FQ0aIO2n8mIAXmCgJOo3b8AfRX4j7Z0gVXGjVXQXGgV02j7X"
    "4YN2XJlCzRyVCZFXSjBX4jBX4kNYKp7ZO2ZV0bF0YF0J0ZV0bF0YF0JuOZqBZ0dVZCYNeKY70lN0"
    "ZBvGXVC30m70FO3CeB02hBEjVYKZ3nKcR0FXGi3O2fFXG2tKqNX4d7CnBX20MXGXEX70R0gJCX2X"
    "4AZ3Y8Z2Y8hB2hNhKYN2g7MX4XJYAZ0pVOYAdVCfRXGfFY8X6a4YBzKx3q8oVaGoVY8lFXEYKZFZ"
    "jShB0lF0M2CFySkNYKdVa2X7XIdScFXEX6jSg7d4eBZ02A2pJbIYAX4gVAFM3Z0X22mJQXEEME8X"
    "6AZC8Cf3Y8ZFXSX2j7XQ2YU0ZFX63E3YKiRAE3Z0M2nNQZAEX7X6XEEAZR23Q0d7ZOcF0f3QX2EA"
    "2MXUAu0YB030X70bB0ZF2XSnBAQYUXGZFXSME0YNCFCdV0YB0F0XJ0M3EAX6CECQC3XS2XGXJECY"
    "IOXQXpOpJQYUEX22AX7XIZFE02ARgSnNQY62AX6M2MF23YKZFXzSnBQXECX6M2MeAX7MiCnNQYUE"
    "A2MQ3ZOZFXSaIcOlRA2AEY62A32XSZFpSfRCX2EXE2XQX4a7X6YBYb0m7QZA2M2Xb4tRcRa4YNC3"
    "CYN0F0eNXU0ECM2A3232AQZ0ZFvSYNCkBQXECMX6A3232fO3ZMkNY623XEYMAYK3Y6EX2mVaQ2MQ"
    "3XIaGx3ZY8Z30jJ2YI0Y62A3XIZCgJOEgVCe602YI2M2Mx0YB0F0jVY6OA0M0YI3AYKZFXSXV0F0"
    "hNXI0M0EA2A3Y8ZFZpScRMX6Ya83b8dJgIaG2gvFXbSXfB0XIZOYf7+y4Xa3EaGinB0Z8Xlg8cwB"
    "Zbb0cr3Y8hB0ZFX4EzB0ZFXSgVCXQ2ZCnNYIZ2XFEZCZF0YB0dJXGcReXKtReBX6XbGxRX4A3qAY"
    "8XEaRtKN2BAZOEaSYdyNYKklVlCZ3Zes8XF0YJ0N0ZiRmGRc0X7YKaq7xX4XdRXGaJOZ3Y8ZFC2M"
    "2XCXtY4n6CeIZ0Xh6s4YxUZCkACsUX2Z2YSYUEYIgUXEsIdGuEX22XvCd7a4XWAZ0f3Xo8/N0wF0"
    "JC7CJCXB0aB070YF0u70XBCYR0YF0gB0XB0XN07OYF0Z/BCf72f72hF2f72hF2f72hF2f72hF2f7"
    "2YRCoFb/MqIX6oMYMAaUAYAb8XQ0bIizKZJ3dBYq0YI0cACYI0M0XQYlGmJOYIYJCZFX432ZtKgV"
    "Ac0m7XEZFXG2kpKYB0X70F0bB0YfJCZ3YIl0vBYIBX4ZFX4Efc0rR2R2X7y4mJ2bBYeCX70fR0F0"
    "3C30ZF0X70303XS3X4303030R0F03C3030303030F03CX70YB0X70X7030ZF0c3XGR0XJ0c3p4EZ"
    "aSm6X4Xb6a4bACbA0bA0jIZCaJiQfIXUfIXUfIj6qKgIaGm6X4Z2Y8EaSXUXvCYzQXQemMXGbMOa"
    "IOXh6a4XX2Y8a6X42b8a6X4qMYKZEXSkMYKgUCEySZ/6a4aUCXIOXIOYAZ0gIOZQXGXUZCZEXSYM"
    "YKYAZ0XsQ0qAjGZFiXSlqpNhKXmr3Y8YoVCYZmFaSYto3Xah8cgVnqCXvxReccZS8gSXZSXlKYvU"
    "YdwbK";

struct LowerRun {
  char32_t first;
  char32_t last;
  int32_t delta;
  uint32_t stride;
};

constexpr LowerRun kLowerRuns[] = {
    {0x41, 0x5A, 32, 1},         {0xC0, 0xD6, 32, 1},         {0xD8, 0xDE, 32, 1},
    {0x100, 0x12E, 1, 2},        {0x132, 0x136, 1, 2},        {0x139, 0x147, 1, 2},
    {0x14A, 0x176, 1, 2},        {0x178, 0x178, -121, 1},     {0x179, 0x17D, 1, 2},
    {0x181, 0x181, 210, 1},      {0x182, 0x184, 1, 2},        {0x186, 0x186, 206, 1},
    {0x187, 0x187, 1, 1},        {0x189, 0x18A, 205, 1},      {0x18B, 0x18B, 1, 1},
    {0x18E, 0x18E, 79, 1},       {0x18F, 0x18F, 202, 1},      {0x190, 0x190, 203, 1},
    {0x191, 0x191, 1, 1},        {0x193, 0x193, 205, 1},      {0x194, 0x194, 207, 1},
    {0x196, 0x196, 211, 1},      {0x197, 0x197, 209, 1},      {0x198, 0x198, 1, 1},
    {0x19C, 0x19C, 211, 1},      {0x19D, 0x19D, 213, 1},      {0x19F, 0x19F, 214, 1},
    {0x1A0, 0x1A4, 1, 2},        {0x1A6, 0x1A6, 218, 1},      {0x1A7, 0x1A7, 1, 1},
    {0x1A9, 0x1A9, 218, 1},      {0x1AC, 0x1AC, 1, 1},        {0x1AE, 0x1AE, 218, 1},
    {0x1AF, 0x1AF, 1, 1},        {0x1B1, 0x1B2, 217, 1},      {0x1B3, 0x1B5, 1, 2},
    {0x1B7, 0x1B7, 219, 1},      {0x1B8, 0x1B8, 1, 1},        {0x1BC, 0x1BC, 1, 1},
    {0x1C4, 0x1C4, 2, 1},        {0x1C5, 0x1C5, 1, 1},        {0x1C7, 0x1C7, 2, 1},
    {0x1C8, 0x1C8, 1, 1},        {0x1CA, 0x1CA, 2, 1},        {0x1CB, 0x1DB, 1, 2},
    {0x1DE, 0x1EE, 1, 2},        {0x1F1, 0x1F1, 2, 1},        {0x1F2, 0x1F4, 1, 2},
    {0x1F6, 0x1F6, -97, 1},      {0x1F7, 0x1F7, -56, 1},      {0x1F8, 0x21E, 1, 2},
    {0x220, 0x220, -130, 1},     {0x222, 0x232, 1, 2},        {0x23A, 0x23A, 10795, 1},
    {0x23B, 0x23B, 1, 1},        {0x23D, 0x23D, -163, 1},     {0x23E, 0x23E, 10792, 1},
    {0x241, 0x241, 1, 1},        {0x243, 0x243, -195, 1},     {0x244, 0x244, 69, 1},
    {0x245, 0x245, 71, 1},       {0x246, 0x24E, 1, 2},        {0x370, 0x372, 1, 2},
    {0x376, 0x376, 1, 1},        {0x37F, 0x37F, 116, 1},      {0x386, 0x386, 38, 1},
    {0x388, 0x38A, 37, 1},       {0x38C, 0x38C, 64, 1},       {0x38E, 0x38F, 63, 1},
    {0x391, 0x3A1, 32, 1},       {0x3A4, 0x3AB, 32, 1},       {0x3CF, 0x3CF, 8, 1},
    {0x3D8, 0x3EE, 1, 2},        {0x3F4, 0x3F4, -60, 1},      {0x3F7, 0x3F7, 1, 1},
    {0x3F9, 0x3F9, -7, 1},       {0x3FA, 0x3FA, 1, 1},        {0x3FD, 0x3FF, -130, 1},
    {0x400, 0x40F, 80, 1},       {0x410, 0x42F, 32, 1},       {0x460, 0x480, 1, 2},
    {0x48A, 0x4BE, 1, 2},        {0x4C0, 0x4C0, 15, 1},       {0x4C1, 0x4CD, 1, 2},
    {0x4D0, 0x52E, 1, 2},        {0x531, 0x556, 48, 1},       {0x10A0, 0x10C5, 7264, 1},
    {0x10C7, 0x10C7, 7264, 1},   {0x10CD, 0x10CD, 7264, 1},   {0x13A0, 0x13EF, 38864, 1},
    {0x13F0, 0x13F5, 8, 1},      {0x1C90, 0x1CBA, -3008, 1},  {0x1CBD, 0x1CBF, -3008, 1},
    {0x1E00, 0x1E94, 1, 2},      {0x1E9E, 0x1E9E, -7615, 1},  {0x1EA0, 0x1EFE, 1, 2},
    {0x1F08, 0x1F0F, -8, 1},     {0x1F18, 0x1F1D, -8, 1},     {0x1F28, 0x1F2F, -8, 1},
    {0x1F38, 0x1F3F, -8, 1},     {0x1F48, 0x1F4D, -8, 1},     {0x1F59, 0x1F5F, -8, 2},
    {0x1F68, 0x1F6F, -8, 1},     {0x1F88, 0x1F8F, -8, 1},     {0x1F98, 0x1F9F, -8, 1},
    {0x1FA8, 0x1FAF, -8, 1},     {0x1FB8, 0x1FB9, -8, 1},     {0x1FBA, 0x1FBB, -74, 1},
    {0x1FBC, 0x1FBC, -9, 1},     {0x1FC8, 0x1FCB, -86, 1},    {0x1FCC, 0x1FCC, -9, 1},
    {0x1FD8, 0x1FD9, -8, 1},     {0x1FDA, 0x1FDB, -100, 1},   {0x1FE8, 0x1FE9, -8, 1},
    {0x1FEA, 0x1FEB, -112, 1},   {0x1FEC, 0x1FEC, -7, 1},     {0x1FF8, 0x1FF9, -128, 1},
    {0x1FFA, 0x1FFB, -126, 1},   {0x1FFC, 0x1FFC, -9, 1},     {0x2126, 0x2126, -7517, 1},
    {0x212A, 0x212A, -8383, 1},  {0x212B, 0x212B, -8262, 1},  {0x2132, 0x2132, 28, 1},
    {0x2160, 0x216F, 16, 1},     {0x2183, 0x2183, 1, 1},      {0x24B6, 0x24CF, 26, 1},
    {0x2C00, 0x2C2F, 48, 1},     {0x2C60, 0x2C60, 1, 1},      {0x2C62, 0x2C62, -10743, 1},
    {0x2C63, 0x2C63, -3814, 1},  {0x2C64, 0x2C64, -10727, 1}, {0x2C67, 0x2C6B, 1, 2},
    {0x2C6D, 0x2C6D, -10780, 1}, {0x2C6E, 0x2C6E, -10749, 1}, {0x2C6F, 0x2C6F, -10783, 1},
    {0x2C70, 0x2C70, -10782, 1}, {0x2C72, 0x2C72, 1, 1},      {0x2C75, 0x2C75, 1, 1},
    {0x2C7E, 0x2C7F, -10815, 1}, {0x2C80, 0x2CE2, 1, 2},      {0x2CEB, 0x2CED, 1, 2},
    {0x2CF2, 0x2CF2, 1, 1},      {0xA640, 0xA66C, 1, 2},      {0xA680, 0xA69A, 1, 2},
    {0xA722, 0xA72E, 1, 2},      {0xA732, 0xA76E, 1, 2},      {0xA779, 0xA77B, 1, 2},
    {0xA77D, 0xA77D, -35332, 1}, {0xA77E, 0xA786, 1, 2},      {0xA78B, 0xA78B, 1, 1},
    {0xA78D, 0xA78D, -42280, 1}, {0xA790, 0xA792, 1, 2},      {0xA796, 0xA7A8, 1, 2},
    {0xA7AA, 0xA7AA, -42308, 1}, {0xA7AB, 0xA7AB, -42319, 1}, {0xA7AC, 0xA7AC, -42315, 1},
    {0xA7AD, 0xA7AD, -42305, 1}, {0xA7AE, 0xA7AE, -42308, 1}, {0xA7B0, 0xA7B0, -42258, 1},
    {0xA7B1, 0xA7B1, -42282, 1}, {0xA7B2, 0xA7B2, -42261, 1}, {0xA7B3, 0xA7B3, 928, 1},
    {0xA7B4, 0xA7C2, 1, 2},      {0xA7C4, 0xA7C4, -48, 1},    {0xA7C5, 0xA7C5, -42307, 1},
    {0xA7C6, 0xA7C6, -35384, 1}, {0xA7C7, 0xA7C9, 1, 2},      {0xA7D0, 0xA7D0, 1, 1},
    {0xA7D6, 0xA7D8, 1, 2},      {0xA7F5, 0xA7F5, 1, 1},      {0xFF21, 0xFF3A, 32, 1},
    {0x10400, 0x10427, 40, 1},   {0x104B0, 0x104D3, 40, 1},   {0x10570, 0x1057A, 39, 1},
    {0x1057C, 0x1058A, 39, 1},   {0x1058C, 0x10592, 39, 1},   {0x10594, 0x10595, 39, 1},
    {0x10C80, 0x10CB2, 64, 1},   {0x118A0, 0x118BF, 32, 1},   {0x16E40, 0x16E5F, 32, 1},
    {0x1E900, 0x1E921, 34, 1},
};

enum ClassBits : uint8_t { kWord = 1, kPrintable = 2, kCased = 4, kCaseIgnorable = 8 };

struct ClassTable {
  std::vector<char32_t> starts;
  std::vector<uint8_t> classes;
};

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 36;
  return c == '+' ? 62 : 63;
}

ClassTable decode_class_runs() {
  ClassTable table;
  char32_t next = 0;
  uint32_t value = 0;
  for (char c : kClassRuns) {
    const int digit = digit_value(c);
    value = value * 32 + static_cast<uint32_t>(digit % 32);
    if (digit >= 32) continue;  // more digits follow
    table.starts.push_back(next);
    table.classes.push_back(static_cast<uint8_t>(value % 12));
    next += value / 12 + 1;
    value = 0;
  }
  return table;
}

uint8_t char_class(char32_t ch) {
  static const ClassTable table = decode_class_runs();
  if (ch > 0x10FFFF) return 0;
  const auto it = std::upper_bound(table.starts.begin(), table.starts.end(), ch);
  return table.classes[static_cast<size_t>(it - table.starts.begin()) - 1];
}

uint8_t sigma_class(char32_t ch) {
  return static_cast<uint8_t>(char_class(ch) >> 2);
}

char32_t simple_lower(char32_t ch) {
  const auto it = std::upper_bound(std::begin(kLowerRuns), std::end(kLowerRuns), ch,
                                   [](char32_t c, const LowerRun& run) { return c < run.first; });
  if (it == std::begin(kLowerRuns)) return ch;
  const LowerRun& run = *(it - 1);
  if (ch > run.last || (ch - run.first) % run.stride != 0) return ch;
  return static_cast<char32_t>(static_cast<int32_t>(ch) + run.delta);
}

// CPython's handle_capital_sigma: U+03A3 lowers to final sigma when preceded by a cased
// letter and not followed by one (case-ignorable characters skipped on both sides).
char32_t lower_capital_sigma(std::u32string_view text, size_t i) {
  size_t j = i;
  while (j > 0 && sigma_class(text[j - 1]) == 2) --j;
  bool final_sigma = j > 0 && sigma_class(text[j - 1]) == 1;
  if (final_sigma) {
    size_t k = i + 1;
    while (k < text.size() && sigma_class(text[k]) == 2) ++k;
    final_sigma = k == text.size() || sigma_class(text[k]) != 1;
  }
  return final_sigma ? 0x3C2 : 0x3C3;
}

void append_hex(std::string& out, char prefix, uint32_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '\\';
  out += prefix;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}

}  // namespace

std::u32string decode_utf8(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  size_t i = 0;
  while (i < utf8.size()) {
    const auto b0 = static_cast<unsigned char>(utf8[i]);
    size_t len = b0 < 0x80           ? 1
                 : (b0 >> 5) == 0x6  ? 2
                 : (b0 >> 4) == 0xE  ? 3
                 : (b0 >> 3) == 0x1E ? 4
                                     : 0;
    char32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
    bool ok = len != 0 && i + len <= utf8.size();
    for (size_t k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(utf8[i + k]);
      ok = (b & 0xC0) == 0x80;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && cp >= kMin[len] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    out += ok ? cp : kReplacement;
    i += ok ? len : 1;
  }
  return out;
}

std::string encode_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : text) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

bool is_word_char(char32_t ch) {
  return (char_class(ch) & kWord) != 0;
}

bool is_printable(char32_t ch) {
  return (char_class(ch) & kPrintable) != 0;
}

bool is_space(char32_t ch) {
  // CPython's _PyUnicode_IsWhitespace list (stable across Unicode versions).
  return (ch >= 0x09 && ch <= 0x0D) || (ch >= 0x1C && ch <= 0x20) || ch == 0x85 || ch == 0xA0 ||
         ch == 0x1680 || (ch >= 0x2000 && ch <= 0x200A) || ch == 0x2028 || ch == 0x2029 ||
         ch == 0x202F || ch == 0x205F || ch == 0x3000;
}

std::string strip(std::string_view utf8) {
  const std::u32string text = decode_utf8(utf8);
  size_t begin = 0, end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return encode_utf8(std::u32string_view(text).substr(begin, end - begin));
}

std::u32string lower(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char32_t ch = text[i];
    if (ch < 0x80) {
      out += (ch >= 'A' && ch <= 'Z') ? ch + 32 : ch;
    } else if (ch == 0x130) {  // the one multi-character lowercase mapping
      out += U"i\u0307";
    } else if (ch == 0x3A3) {
      out += lower_capital_sigma(text, i);
    } else {
      out += simple_lower(ch);
    }
  }
  return out;
}

std::string repr_str(std::string_view utf8) {
  const std::u32string text = decode_utf8(utf8);
  const bool has_single = text.find(U'\'') != std::u32string::npos;
  const bool has_double = text.find(U'"') != std::u32string::npos;
  const char32_t quote = has_single && !has_double ? U'"' : U'\'';
  std::string out(1, static_cast<char>(quote));
  for (char32_t ch : text) {
    if (ch == quote || ch == U'\\') {
      out += '\\';
      out += static_cast<char>(ch);
    } else if (ch == U'\t') {
      out += "\\t";
    } else if (ch == U'\n') {
      out += "\\n";
    } else if (ch == U'\r') {
      out += "\\r";
    } else if (ch < 0x20 || ch == 0x7F) {
      append_hex(out, 'x', ch, 2);
    } else if (ch < 0x7F || is_printable(ch)) {
      out += encode_utf8(std::u32string_view(&ch, 1));
    } else if (ch <= 0xFF) {
      append_hex(out, 'x', ch, 2);
    } else if (ch <= 0xFFFF) {
      append_hex(out, 'u', ch, 4);
    } else {
      append_hex(out, 'U', ch, 8);
    }
  }
  out += static_cast<char>(quote);
  return out;
}

std::optional<std::string> decode_escapes(std::string_view body, std::string* error) {
  const std::u32string in = decode_utf8(body);
  std::u32string out;
  auto bad = [&](const char* what) {
    if (error) *error = what;
    return std::nullopt;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != U'\\' || i + 1 == in.size()) {
      out += in[i];
      continue;
    }
    const char32_t e = in[++i];
    static constexpr std::u32string_view kSimple = U"\n\\'\"abfnrtv";
    static constexpr std::u32string_view kSimpleValue = U"\n\\'\"\a\b\f\n\r\t\v";
    if (const size_t k = kSimple.find(e); k != std::u32string_view::npos) {
      if (k > 0) out += kSimpleValue[k];  // k == 0: backslash-newline continues the line
    } else if (e == U'x' || e == U'u' || e == U'U') {
      const size_t n = e == U'x' ? 2 : e == U'u' ? 4 : 8;
      char32_t v = 0;
      for (size_t k = 0; k < n; ++k) {
        const char32_t h = ++i < in.size() ? in[i] : U'?';
        const int d = (h >= U'0' && h <= U'9')   ? int(h - U'0')
                      : (h >= U'a' && h <= U'f') ? int(h - U'a' + 10)
                      : (h >= U'A' && h <= U'F') ? int(h - U'A' + 10)
                                                 : -1;
        if (d < 0) return bad("truncated \\x, \\u or \\U escape in a string literal");
        v = v * 16 + static_cast<char32_t>(d);
      }
      if (v > 0x10FFFF) return bad("illegal Unicode character in a string literal");
      out += v;
    } else if (e >= U'0' && e <= U'7') {
      char32_t v = e - U'0';
      for (int k = 0; k < 2 && i + 1 < in.size() && in[i + 1] >= U'0' && in[i + 1] <= U'7'; ++k)
        v = v * 8 + (in[++i] - U'0');
      out += v;
    } else if (e == U'N') {
      return bad("\\N{...} escapes are not supported");
    } else {  // Python keeps unknown escapes as written
      out += U'\\';
      out += e;
    }
  }
  return encode_utf8(out);
}

std::string repr_str_tuple(const std::vector<std::string>& items) {
  std::string out = "(";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += repr_str(items[i]);
  }
  if (items.size() == 1) out += ',';
  out += ')';
  return out;
}

}  // namespace alembic::python
