using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace ReaderStudy.Web.Features.Accounts;

/// <summary>Keeps <see cref="CircuitUser"/> in step with the circuit's authentication state.</summary>
public sealed class CircuitUserHandler(AuthenticationStateProvider authentication, CircuitUser circuitUser) : CircuitHandler, IDisposable
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        authentication.AuthenticationStateChanged += OnChanged;
        circuitUser.Principal = (await authentication.GetAuthenticationStateAsync()).User;
    }

    private async void OnChanged(Task<AuthenticationState> state)
    {
        circuitUser.Principal = (await state).User;
    }

    public void Dispose() => authentication.AuthenticationStateChanged -= OnChanged;
}
