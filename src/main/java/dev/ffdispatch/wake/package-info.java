/**
 * Wake-on-LAN: the magic packet (6 x 0xFF, then the MAC address 16 times) and sending it by UDP,
 * broadcast allowed. The daemon decides when; the store holds where ({@code WakeOnLan}).
 */
package dev.ffdispatch.wake;
